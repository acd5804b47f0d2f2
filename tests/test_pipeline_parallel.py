"""Per-article work over processes, and deterministic shards."""

from __future__ import annotations

import os
import time

import pytest

from l10n.errors import L10nError
from l10n.pipeline import parallel


def _square_with_pid(n: int) -> tuple[int, int, str]:
    # Long enough that one worker cannot finish every chunk before the other has started.
    time.sleep(0.02)
    return n * n, os.getpid(), parallel.context()


def _fail_on_seven(n: int) -> int:
    if n == 7:
        raise L10nError("seven is bad", file=f"article-{n}.html", line=3)
    return n


def test_results_come_back_in_order_from_several_processes() -> None:
    items = list(range(40))
    results = list(parallel.each(_square_with_pid, items, jobs=2, shared="ctx"))
    assert [r[0] for r in results] == [n * n for n in items]
    assert {r[2] for r in results} == {"ctx"}
    assert len({r[1] for r in results}) == 2 and os.getpid() not in {r[1] for r in results}


def test_few_items_stay_in_this_process() -> None:
    results = list(parallel.each(_square_with_pid, [1, 2, 3], jobs=8, shared=None))
    assert {r[1] for r in results} == {os.getpid()}


def test_first_error_arrives_with_its_file_and_line() -> None:
    with pytest.raises(L10nError) as caught:
        list(parallel.each(_fail_on_seven, list(range(40)), jobs=2, shared=None))
    assert str(caught.value) == "article-7.html:3: seven is bad"
    assert parallel.context() is None


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_kept_hands_back_every_error_with_its_file_and_line_and_goes_on(jobs: int) -> None:
    items = list(range(40))
    results = list(parallel.each_kept(_fail_on_seven, items, jobs=jobs, shared=None))
    assert [r for r in results if not isinstance(r, L10nError)] == [n for n in items if n != 7]
    [error] = [r for r in results if isinstance(r, L10nError)]
    assert results.index(error) == 7
    assert str(error) == "article-7.html:3: seven is bad"
    assert (error.file, error.line) == ("article-7.html", 3)


def test_shards_partition_and_do_not_move_when_articles_are_added() -> None:
    names = [f"2024/{n:04}.html" for n in range(500)]
    shards = [{n for n in names if parallel.in_shard(n, (i, 4))} for i in (1, 2, 3, 4)]
    assert sum(map(len, shards)) == 500 and set().union(*shards) == set(names)
    assert all(90 < len(s) < 160 for s in shards)
    more = [*names, *(f"2025/{n:04}.html" for n in range(100))]
    again = [{n for n in more if parallel.in_shard(n, (i, 4))} for i in (1, 2, 3, 4)]
    assert all(old <= new for old, new in zip(shards, again, strict=True))
    assert all(parallel.in_shard(n, None) for n in names)


@pytest.mark.parametrize("value", ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", ""])
def test_bad_shard_values(value: str) -> None:
    with pytest.raises(L10nError):
        parallel.parse_shard(value)
    assert parallel.parse_shard("3/3") == (3, 3)


def _context_of(n: int) -> tuple[int, object]:
    return n, parallel.context()


def test_two_runs_interleaved_in_one_process_each_see_their_own_context() -> None:
    outer = parallel.each(_context_of, [1, 2, 3], jobs=1, shared="outer")
    assert next(outer) == (1, "outer")
    assert list(parallel.each(_context_of, [7, 8], jobs=1, shared="inner")) == [
        (7, "inner"),
        (8, "inner"),
    ]
    assert list(outer) == [(2, "outer"), (3, "outer")]
