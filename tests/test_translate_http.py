"""What every network engine shares (l10n/translate/http.py): Retry-After, backoff."""

from __future__ import annotations

import email.utils
import random

import pytest

from l10n.translate.http import GaveUp, Retryable, RetryPolicy, retry_after_seconds, retrying


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = 1_700_000_000.0
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(" 1.5 ") == 1.5
    date = email.utils.formatdate(now + 42, usegmt=True)
    assert retry_after_seconds(date, now=now) == pytest.approx(42.0)
    assert retry_after_seconds(email.utils.formatdate(now - 5, usegmt=True), now=now) == 0.0
    for bad in (None, "", "-3", "soon", "Mon, 99 Foo 2024"):
        assert retry_after_seconds(bad, now=now) is None


def test_backoff_is_capped_but_retry_after_is_not() -> None:
    policy = RetryPolicy(backoff=10.0, max_delay=60.0, rng=random.Random(1))
    assert policy.delay(5) <= 60.0
    assert policy.delay(1, retry_after=120.0) == 120.0


def test_a_server_asking_for_too_long_a_wait_is_given_up_on() -> None:
    slept: list[float] = []
    policy = RetryPolicy(max_retries=4, max_retry_after=600.0, sleep=slept.append)

    def attempt() -> str:
        raise Retryable("answered 429 Too Many Requests", retry_after=3600.0)

    with pytest.raises(GaveUp) as info:
        retrying(attempt, policy, where="X at http://h/")
    assert slept == [] and info.value.unreachable
    assert info.value.reason == (
        "X at http://h/ answered 429 Too Many Requests and asked to wait 3600 s"
    )
