import pytest
from django.core.exceptions import ValidationError

from zhaoshang.enterprises import uscc
from zhaoshang.enterprises.actions import create_enterprise


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91140300000007919W", "911403000000237572", " 91350100m000100y43 "])
def test_it_accepts_valid_codes(code):
    assert uscc.validate(code) == code.strip().upper()


def test_it_computes_the_check_character_from_the_weights():
    assert uscc.WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert uscc.check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    "code, reason",
    [
        ("91350100M000100Y44", "校验位错误：末位应为“3”，实际为“4”"),
        ("91350100M000100Y4", "应为18位，实际为17位"),
        ("91350100M0001O0Y43", "不允许的字符“O”"),
        ("9135010IM000100Y43", "不允许的字符“I”"),
        ("913501A0M000100Y43", "第3至8位"),
    ],
)
def test_it_names_what_is_wrong(code, reason):
    with pytest.raises(uscc.InvalidUSCC) as error:
        uscc.validate(code)
    assert reason in str(error.value)


def test_it_reads_full_width_characters():
    assert uscc.validate("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


def test_an_enterprise_with_a_bad_code_is_refused_and_not_saved(zone):
    with pytest.raises(ValidationError) as error:
        create_enterprise(zone=zone, name="坏代码公司", uscc="91350100M000100Y44")
    assert "校验位错误" in error.value.message_dict["uscc"][0]
    assert not zone.enterprises.exists()


def test_a_code_is_unique_within_a_zone_but_not_across_zones(zone, other_zone):
    create_enterprise(zone=zone, name="甲公司", uscc="91350100M000100Y43")
    with pytest.raises(ValidationError) as error:
        create_enterprise(zone=zone, name="乙公司", uscc="91350100M000100Y43")
    assert "已登记" in error.value.message_dict["uscc"][0]
    assert create_enterprise(zone=other_zone, name="甲公司", uscc="91350100M000100Y43").pk
