extensions = ["crosswork"]
crosswork_root = "repo"
exclude_patterns = ["repo", "_build"]
nitpicky = True
html_baseurl = "https://crosswork.example.org/"
