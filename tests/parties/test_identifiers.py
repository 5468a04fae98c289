import datetime as dt

import pytest

from contracts_platform.parties import identifiers as ids


class TestResidentIdNumber:
    def test_known_valid_number_with_x_check_char(self):
        assert ids.check_id_number("11010519491231002X") is None
        assert ids.check_id_number("11010519491231002x") is None  # lower-case x is normalised

    def test_generated_numbers_are_valid(self):
        for seq in range(0, 1000, 37):
            assert ids.check_id_number(ids.make_id_number("370102", dt.date(1990, 3, 7), seq)) is None

    @pytest.mark.parametrize("value, error", [
        ("110105194912310021", "check_digit"),
        ("11010519491231002", "format"),
        ("1101051949123100211", "format"),
        ("11010519491331002X", "birth_date"),
        ("01010519491231002X", "region"),
        ("ABCDEFGHIJKLMNOPQR", "format"),
    ])
    def test_invalid_numbers_name_the_problem(self, value, error):
        assert ids.check_id_number(value) == error

    def test_birth_date_in_future_is_rejected(self):
        number = ids.make_id_number("370102", dt.date(2030, 1, 1), 1)
        assert ids.check_id_number(number, today=dt.date(2026, 11, 28)) == "birth_date"


class TestCreditCode:
    def test_known_valid_code(self):
        assert ids.check_credit_code("91350100M000100Y43") is None

    def test_every_check_char_position(self):
        code = ids.make_credit_code("91370102MA3C4D5E6")
        assert ids.check_credit_code(code) is None
        for wrong in ids.CREDIT_CHARSET:
            if wrong != code[-1]:
                assert ids.check_credit_code(code[:-1] + wrong) == "check_digit"

    @pytest.mark.parametrize("value", ["91350100M000100Y4", "91350100M000100Y4IO", "91350100M000100YI3"])
    def test_format(self, value):
        assert ids.check_credit_code(value) == "format"


@pytest.mark.parametrize("phone, ok", [("13812345678", True), ("19912345678", True), ("12812345678", False),
                                       ("1381234567", False), ("+8613812345678", False), ("021-12345678", False)])
def test_mainland_mobile(phone, ok):
    assert (ids.check_mobile(phone) is None) is ok
