"""Record ids: random, 32 lowercase hex characters, checked strictly."""

from __future__ import annotations

import pytest

from kisi_desktop.core.domain.ids import check_id, new_id
from kisi_desktop.core.errors import ValidationError


def test_new_id_is_32_lowercase_hex_and_random() -> None:
    ids = {new_id() for _ in range(1000)}
    assert len(ids) == 1000
    for value in ids:
        assert len(value) == 32
        assert check_id(value, "id") == value


@pytest.mark.parametrize(
    "bad", ["", "A" * 32, "g" * 32, "a" * 31, "a" * 33, " " + "a" * 31, "a" * 31 + "\n", 5]
)
def test_check_id_refuses_malformed_ids_naming_the_field(bad: object) -> None:
    with pytest.raises(ValidationError) as error:
        check_id(bad, "person_id")  # type: ignore[arg-type]
    assert error.value.field == "person_id"
