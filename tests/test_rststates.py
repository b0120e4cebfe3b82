"""docutils' states, bounded and quick to build: each state class makes its
transitions once, each machine builds the states it uses, and the plain
bounded states stay the reference. What they parse is checked against the
plain states in ``tests/specs/test_rstparse.py`` and, inside Sphinx, in
``tests/site/test_rstparser.py``."""

from __future__ import annotations

import docutils
from docutils import statemachine

from crosswork import rststates
from crosswork.rststates import BOUNDED_STATES, FAST_STATES, Parser, states_for


class TestFastPath:
    def test_the_fast_states_are_used_under_the_docutils_they_were_checked_on(self):
        assert states_for((0, 22, 4)) is FAST_STATES
        assert states_for((0, 21, 2)) is states_for((0, 23, 0)) is BOUNDED_STATES
        assert Parser().state_classes is states_for(docutils.__version_info__)

    def test_each_state_gets_its_own_transitions_bound_to_itself(self):
        machine = rststates.FastMachine(FAST_STATES, "Body")
        plain = rststates.BoundedMachine(BOUNDED_STATES, "Body")
        for name in [state.__name__ for state in FAST_STATES]:
            fast, reference = machine.states[name], plain.states[name]
            assert fast.transition_order == reference.transition_order
            assert fast.transitions.keys() == reference.transitions.keys()
            for key, (pattern, method, next_state) in fast.transitions.items():
                assert method.__self__ is fast
                assert (pattern, method.__func__, next_state) == (
                    reference.transitions[key][0],
                    reference.transitions[key][1].__func__,
                    reference.transitions[key][2],
                )
            # Each instance's tables are its own, to change as it runs.
            other = type(fast)(machine)
            other.remove_transition(other.transition_order[0])
            assert fast.transition_order == reference.transition_order
            assert fast.transitions.keys() == reference.transitions.keys()

    def test_a_machine_builds_only_the_states_it_uses(self):
        machine = rststates.FastMachine(FAST_STATES, "Body")
        assert (len(machine.states), "Line" in machine.states) == (0, True)
        assert machine.states["Line"] is machine.states["Line"]
        assert list(machine.states) == ["Line"]

    def test_a_state_whose_transitions_cannot_be_shared_makes_its_own(self):
        class Odd(rststates.FastState, statemachine.StateWS):
            """Without patterns: docutils gives each instance a dict."""

        machine = rststates.FastMachine([], "Odd")
        first, second = Odd(machine), Odd(machine)
        assert rststates.FastState._transition_tables[Odd] is None
        assert second.transitions["blank"][1].__self__ is second
        assert vars(second)["patterns"] is not vars(first)["patterns"]
