"""Reporting items out of order the way a reviewer would: only those moved."""

from __future__ import annotations

from crosswork.specs.order import Misplaced, misplaced


def test_items_in_order_are_not_reported():
    assert misplaced([0, 1, 2, 5, 9]) == []
    assert misplaced([]) == []


def test_one_item_moved_down_is_the_only_one_reported():
    # 1 was moved after 4: reporting 2, 3 and 4 as well would be noise.
    assert misplaced([0, 2, 3, 4, 1, 5]) == [Misplaced(4, neighbour=0, after=True)]


def test_an_item_moved_to_the_front_is_told_which_item_it_follows():
    assert misplaced([3, 0, 1, 2]) == [Misplaced(0, neighbour=2, after=True)]
    assert misplaced([2, 0, 1]) == [Misplaced(0, neighbour=1, after=True)]


def test_an_item_that_belongs_first_is_placed_before_its_successor():
    assert misplaced([1, 2, 3, 0]) == [Misplaced(3, neighbour=1, after=False)]


def test_of_two_swapped_items_the_first_is_reported_after_the_second():
    assert misplaced([1, 0]) == [Misplaced(0, neighbour=0, after=True)]
