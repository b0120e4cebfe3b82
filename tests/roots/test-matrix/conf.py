extensions = ["crosswork"]
crosswork_root = "repo"
exclude_patterns = ["repo", "upstream", "_build"]
nitpicky = True
