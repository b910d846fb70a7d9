"""The published level curve."""

from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.progress.levels import level_for, level_progress, xp_for_level


def test_the_curve_is_the_published_one() -> None:
    assert [xp_for_level(level) for level in range(1, 7)] == [0, 100, 300, 600, 1000, 1500]
    assert xp_for_level(10) == 4_500 and xp_for_level(20) == 19_000
    assert [level_for(xp) for xp in (0, 99, 100, 299, 300, 4_499, 4_500)] == [1, 1, 2, 2, 3, 9, 10]


@given(xp=st.integers(0, 10**9))
def test_level_for_is_the_highest_level_reached(xp: int) -> None:
    level = level_for(xp)
    assert xp_for_level(level) <= xp < xp_for_level(level + 1)


@given(xp=st.integers(0, 10**7))
def test_level_progress_counts_down_to_the_next_level(xp: int) -> None:
    progress = level_progress(xp)
    assert progress.level_starts_at <= xp < progress.next_level_at
    assert progress.xp_to_next_level == progress.next_level_at - xp > 0
    assert level_for(xp + progress.xp_to_next_level) == progress.level + 1
