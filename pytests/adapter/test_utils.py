"""dbt-tests-adapter's cross-database macros on Spark: each class seeds a CSV through Casebook's seed
materialization, builds a model with the macro and tests it."""

from __future__ import annotations

import pytest
from dbt.tests.adapter.utils.fixture_listagg import models__test_listagg_yml
from dbt.tests.adapter.utils.test_any_value import BaseAnyValue
from dbt.tests.adapter.utils.test_array_append import BaseArrayAppend
from dbt.tests.adapter.utils.test_array_concat import BaseArrayConcat
from dbt.tests.adapter.utils.test_array_construct import BaseArrayConstruct
from dbt.tests.adapter.utils.test_bool_or import BaseBoolOr
from dbt.tests.adapter.utils.test_cast import BaseCast
from dbt.tests.adapter.utils.test_cast_bool_to_text import BaseCastBoolToText
from dbt.tests.adapter.utils.test_concat import BaseConcat
from dbt.tests.adapter.utils.test_current_timestamp import BaseCurrentTimestampNaive
from dbt.tests.adapter.utils.test_date import BaseDate
from dbt.tests.adapter.utils.test_date_trunc import BaseDateTrunc
from dbt.tests.adapter.utils.test_dateadd import BaseDateAdd
from dbt.tests.adapter.utils.test_datediff import BaseDateDiff
from dbt.tests.adapter.utils.test_escape_single_quotes import BaseEscapeSingleQuotesBackslash
from dbt.tests.adapter.utils.test_except import BaseExcept
from dbt.tests.adapter.utils.test_hash import BaseHash
from dbt.tests.adapter.utils.test_intersect import BaseIntersect
from dbt.tests.adapter.utils.test_last_day import BaseLastDay
from dbt.tests.adapter.utils.test_length import BaseLength
from dbt.tests.adapter.utils.test_listagg import BaseListagg
from dbt.tests.adapter.utils.test_position import BasePosition
from dbt.tests.adapter.utils.test_replace import BaseReplace
from dbt.tests.adapter.utils.test_right import BaseRight
from dbt.tests.adapter.utils.test_safe_cast import BaseSafeCast
from dbt.tests.adapter.utils.test_split_part import BaseSplitPart
from dbt.tests.adapter.utils.test_string_literal import BaseStringLiteral

from pytests.adapter.conformance import full_only

pytestmark = pytest.mark.integration


@full_only
class TestAnyValue(BaseAnyValue):
    pass


@full_only
class TestArrayAppend(BaseArrayAppend):
    pass


@full_only
class TestArrayConcat(BaseArrayConcat):
    pass


@full_only
class TestArrayConstruct(BaseArrayConstruct):
    pass


@full_only
class TestBoolOr(BaseBoolOr):
    pass


@full_only
class TestCast(BaseCast):
    pass


@full_only
class TestCastBoolToText(BaseCastBoolToText):
    pass


@full_only
class TestConcat(BaseConcat):
    pass


@full_only
class TestCurrentTimestamp(BaseCurrentTimestampNaive):
    pass


@full_only
class TestDate(BaseDate):
    pass


@full_only
class TestDateAdd(BaseDateAdd):
    pass


@full_only
class TestDateDiff(BaseDateDiff):
    pass


@full_only
class TestDateTrunc(BaseDateTrunc):
    pass


class TestEscapeSingleQuotes(BaseEscapeSingleQuotesBackslash):
    """A seed and model with quotes and backslashes: the seed's literals must round-trip exactly."""


@full_only
class TestExcept(BaseExcept):
    pass


@full_only
class TestHash(BaseHash):
    pass


@full_only
class TestIntersect(BaseIntersect):
    pass


LAST_DAY_CSV = """date_day,date_part,result
2018-01-02,month,2018-01-31
2018-01-02,quarter,2018-03-31
2018-01-02,year,2018-12-31
"""


@full_only
class TestLastDay(BaseLastDay):
    @pytest.fixture(scope="class")
    def seeds(self) -> dict[str, str]:
        return {"data_last_day.csv": LAST_DAY_CSV}


@full_only
class TestLength(BaseLength):
    pass


LISTAGG_NO_ORDER_SQL = """
with data as (select * from {{ ref('data_listagg') }}),
data_output as (select * from {{ ref('data_listagg_output') }}),
calculate as (
    select group_col, {{ listagg('string_text', "'_|_'") }} as actual, 'bottom_ordered' as version
    from data group by group_col
)
select calculate.actual, data_output.expected
from calculate
left join data_output
on calculate.group_col = data_output.group_col and calculate.version = data_output.version
"""


@full_only
class TestListagg(BaseListagg):
    """Spark's listagg ignores `order by`: only the unordered aggregation is compared."""

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {
            "test_listagg.yml": models__test_listagg_yml,
            "test_listagg.sql": self.interpolate_macro_namespace(LISTAGG_NO_ORDER_SQL, "listagg"),
        }


@full_only
class TestPosition(BasePosition):
    pass


@full_only
class TestReplace(BaseReplace):
    pass


@full_only
class TestRight(BaseRight):
    pass


@full_only
class TestSafeCast(BaseSafeCast):
    pass


SPLIT_PART_CSV = """parts,split_on,result_1,result_2,result_3,result_4
a|b|c,|,a,b,c,c
1|2|3,|,1,2,3,3
EMPTY|EMPTY|EMPTY,|,EMPTY,EMPTY,EMPTY,EMPTY
"""


@full_only
class TestSplitPart(BaseSplitPart):
    @pytest.fixture(scope="class")
    def seeds(self) -> dict[str, str]:
        return {"data_split_part.csv": SPLIT_PART_CSV}


@full_only
class TestStringLiteral(BaseStringLiteral):
    pass
