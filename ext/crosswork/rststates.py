"""docutils' reStructuredText states, bounded in nesting and quick to build.

docutils parses each nested block (a list item, a block quote, a
directive's content, a table cell...) by recursion, so a list nested a few
hundred levels deep ends the parse in a ``RecursionError``. These states go
:data:`MAX_NESTING` levels deep at most: a block beyond that is left unread
and reported as an error, at its line.

docutils also builds a new state machine for every list, field list and
explicit markup block, and each machine builds all its states, each making
its transitions anew: most of a parse's time, for states mostly never used.
Under the docutils versions this was checked on, the machines here build a
state when first used, and each state class makes its transitions once.

The spec linter (:mod:`crosswork.specs.rstparse`) and the site's Sphinx
parser (:mod:`crosswork.site.rstparser`) both parse with :data:`STATES`.
Pure docutils: no Sphinx import.
"""

from __future__ import annotations

from types import MethodType
from typing import Any, ClassVar

import docutils
from docutils import nodes
from docutils.parsers import rst
from docutils.parsers.rst import states

#: How many nested blocks may enclose a block. A list takes one or two
#: levels per level of nesting (its later items are parsed one level below
#: its first), so this allows lists some 25 to 50 levels deep, far beyond
#: what a reader can follow, and far below where Python's stack runs out
#: (about 160 levels of a list in a bare process, fewer inside a build).
MAX_NESTING = 50

#: The attribute that marks the system message of a block left unread.
TOO_DEEP = "crosswork-too-deep"


class BoundedMachine(states.NestedStateMachine):
    """A nested parse that leaves its block unread past :data:`MAX_NESTING`.

    The depth is counted on the parse's shared ``memo`` rather than by
    following parent machines, which docutils reuses from a cache.
    """

    def run(
        self,
        input_lines: Any,
        input_offset: int,
        memo: Any,
        node: nodes.Element,
        match_titles: bool = True,
    ) -> list[Any]:
        depth = getattr(memo, "crosswork_nesting", 0) + 1
        if depth > MAX_NESTING:
            return self._leave_unread(input_lines, input_offset, memo, node)
        memo.crosswork_nesting = depth
        try:
            return super().run(input_lines, input_offset, memo, node, match_titles)
        finally:
            memo.crosswork_nesting = depth - 1

    def _leave_unread(
        self, input_lines: Any, input_offset: int, memo: Any, node: nodes.Element
    ) -> list[Any]:
        """Report the block and end as a parse that consumed it would."""
        self.memo, self.node, self.document = memo, node, memo.document
        self.input_lines, self.input_offset = input_lines, input_offset
        self.line_offset = len(input_lines)
        if not any(line.strip() for line in input_lines):
            return []
        memo.document.reporter.error(
            f"content nested more than {MAX_NESTING} levels deep: flatten the "
            "lists, quotes or directives around it",
            line=input_offset + 1,
            **{TOO_DEEP: True},
        )
        return []


class BoundedState:
    """Mixed into each docutils state, so every nested parse is bounded."""

    nested_sm: ClassVar[type[BoundedMachine]] = BoundedMachine
    #: Machines kept for reuse; docutils' own cache would mix in unbounded ones.
    nested_sm_cache: ClassVar[list[states.NestedStateMachine]] = []
    #: The states a nested parse starts with: this family, see :func:`_family`.
    family: ClassVar[tuple[type, ...]] = ()

    def __init__(self, state_machine: Any, debug: bool = False) -> None:
        super().__init__(state_machine, debug)  # type: ignore[call-arg]
        self.nested_sm_kwargs = {"state_classes": self.family, "initial_state": "Body"}


# --- The fast path ------------------------------------------------------------
#
# docutils builds a new machine for every list, field list and explicit
# markup block (comment, directive, target), and each machine builds all
# fifteen states, each making its transitions anew. That was most of a
# parse's time, for states mostly never used. The fast path builds a
# machine's states when first used, and makes each class's transitions once.
# It relies on docutils internals as of 0.22 (``StateMachine.add_states``
# and ``states``, ``State.add_initial_transitions``), so it is taken only
# there (:data:`_FAST_DOCUTILS`); elsewhere the plain bounded states parse.

#: The docutils versions whose internals the fast path was checked against.
_FAST_DOCUTILS = ((0, 22), (0, 23))

#: A state class's initial transitions: their names in search order, and by
#: name the pattern, the method's function and the next state's name.
_TransitionTable = tuple[tuple[str, ...], dict[str, tuple[Any, Any, str]]]
_UNKNOWN: Any = object()


class _LazyStates(dict[str, Any]):
    """A machine's states, each built when first asked for.

    Building one mid-run also initialises it for the run, as the machine
    did for all its states when the run began.
    """

    def __init__(self, machine: FastMachine, state_classes: Any) -> None:
        super().__init__()
        self.machine = machine
        self.classes = {cls.__name__: cls for cls in state_classes}

    def __contains__(self, name: object) -> bool:
        return name in self.classes

    def __missing__(self, name: str) -> Any:
        state = self[name] = self.classes[name](self.machine, self.machine.debug)
        if self.machine.running:
            state.runtime_init()
        return state


class FastMachine(BoundedMachine):
    """A bounded machine whose states are built as they are needed."""

    #: Whether a run has begun, which initialises the states built so far.
    running = False

    def add_states(self, state_classes: Any) -> None:
        self.states = _LazyStates(self, state_classes)

    def runtime_init(self) -> None:
        super().runtime_init()
        self.running = True


class FastState(BoundedState):
    """A bounded state sharing its class's transitions, made once."""

    nested_sm = FastMachine
    nested_sm_cache: ClassVar[list[states.NestedStateMachine]] = []
    #: Each class's initial transitions as docutils made them for its first
    #: instance, or ``None`` where they are not what sharing assumes. Two
    #: threads learning one class at once store equal tables: no lock needed.
    _transition_tables: ClassVar[dict[type, _TransitionTable | None]] = {}

    def add_initial_transitions(self) -> None:
        """docutils' own for a class's first instance; later ones copy it.

        What docutils makes depends on the class alone: a
        ``(pattern, bound method, next state name)`` per name, in a fixed
        order, besides filling in the class's ``patterns`` once. Each
        instance gets tables of its own, as a state may change its
        transitions while it runs (``QuotedLiteralBlock`` does).
        """
        table = self._transition_tables.get(type(self), _UNKNOWN)
        if table is _UNKNOWN:
            self._transition_tables[type(self)] = self._learn_transitions()
        elif table is None:
            super().add_initial_transitions()  # type: ignore[misc]
        else:
            order, transitions = table
            self.transition_order = list(order)
            self.transitions = {
                name: (pattern, MethodType(function, self), next_state)
                for name, (pattern, function, next_state) in transitions.items()
            }

    def _learn_transitions(self) -> _TransitionTable | None:
        """Make this instance's transitions as docutils does, and return
        them as a table to share if they are what sharing assumes."""
        attributes = set(vars(self))
        super().add_initial_transitions()  # type: ignore[misc]
        # Only the two tables may change (docutils gives a state without
        # patterns a dict of its own), each name in both, every method bound.
        transitions = self.transitions
        if set(vars(self)) != attributes or set(self.transition_order) != set(
            transitions
        ):
            return None
        table = {}
        for name, (pattern, method, next_state) in transitions.items():
            if getattr(method, "__self__", None) is not self:
                return None
            table[name] = (pattern, method.__func__, next_state)
        return tuple(self.transition_order), table


def _family(base: type[BoundedState]) -> tuple[type, ...]:
    """docutils' states, each with ``base`` mixed in; the names stay, as
    states refer to one another by name."""
    base.family = tuple(
        type(state.__name__, (base, state), {}) for state in states.state_classes
    )
    return base.family


#: The bounded states as docutils makes them: the reference of the fast ones.
BOUNDED_STATES = _family(BoundedState)
FAST_STATES = _family(FastState)


def states_for(version: tuple[int, ...]) -> tuple[type, ...]:
    """The states to parse with under docutils ``version``."""
    low, high = _FAST_DOCUTILS
    return FAST_STATES if low <= tuple(version[:2]) < high else BOUNDED_STATES


#: The states of every parse.
STATES = states_for(docutils.__version_info__)


class Parser(rst.Parser):
    """docutils' reStructuredText parser, on :data:`STATES` by default."""

    def __init__(self, state_classes: tuple[type, ...] | None = None) -> None:
        super().__init__()
        self.state_classes = state_classes or STATES
