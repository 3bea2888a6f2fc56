"""Template knowledge as data: table titles, header and row-label synonyms, 类 names by era.

A new year's template is a change here, not in the locator or the rules. Table keys follow the
2018 numbering of the identity catalogue: 07 = "三公"经费表, 08 = 政府性基金表, 09 = 国有资本经营表,
whatever number the workbook itself prints (2020+ central templates number them 09, 07, 08).
"""

from __future__ import annotations

import re

# key -> (canonical Chinese name, title regexes matched against the normalised title cell)
TABLE_TITLES: dict[str, tuple[str, list[str]]] = {
    "01": ("收入支出决算总表", [r"(?<!财政拨款)收入支出决算总表$"]),
    "02": ("收入决算表", [r"(?<!拨款)收入决算表$"]),
    "03": ("支出决算表", [r"(?<![拨款基本经费营])支出决算表$"]),
    "04": ("财政拨款收入支出决算总表", [r"财政拨款收入支出决算总表$"]),
    "05": ("一般公共预算财政拨款支出决算表", [r"一般公共预算财政拨款(收入)?支出决算表$"]),
    "06": ("一般公共预算财政拨款基本支出决算表", [r"一般公共预算财政拨款基本支出决算(明细)?表$"]),
    "07": ("“三公”经费支出决算表", [r"三公经费(财政拨款)?支出决算表$", r"三公经费.*支出决算表$"]),
    "08": ("政府性基金预算财政拨款收入支出决算表", [r"政府性基金预算财政拨款(收入)?支出决算表$"]),
    "09": ("国有资本经营预算财政拨款支出决算表", [r"国有资本经营预算财政拨款(收入)?支出决算表$"]),
}

# Tables that 2018 (8-table) and 2020+ (9-table) disclosures must contain.
REQUIRED_TABLES = {
    "2018": ["01", "02", "03", "04", "05", "06", "07", "08"],
    "2020+": ["01", "02", "03", "04", "05", "06", "07", "08", "09"],
}

# Column header synonyms for grid tables (normalised header text, parent and child joined by "/").
# Order matters: the first pattern that matches a column's header path wins.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "02": [
        (r"本年收入合计|^合计$|收入合计", "本年收入合计"),
        (r"财政拨款", "财政拨款收入"),
        (r"上级补助", "上级补助收入"),
        (r"事业收入", "事业收入"),
        (r"经营收入", "经营收入"),
        (r"附属单位", "附属单位上缴收入"),
        (r"其他收入", "其他收入"),
    ],
    "03": [
        (r"本年支出合计|^合计$|支出合计", "本年支出合计"),
        (r"基本支出", "基本支出"),
        (r"项目支出", "项目支出"),
        (r"上缴上级", "上缴上级支出"),
        (r"经营支出", "经营支出"),
        (r"对附属单位", "对附属单位补助支出"),
    ],
    "05": [
        (r"小计|合计", "合计"),
        (r"基本支出", "基本支出"),
        (r"项目支出", "项目支出"),
    ],
    "08": [
        (r"年初", "年初结转和结余"),
        (r"本年收入", "本年收入"),
        (r"本年支出.*(小计|合计)|^本年支出$", "本年支出合计"),
        (r"基本支出", "基本支出"),
        (r"项目支出", "项目支出"),
        (r"年末", "年末结转和结余"),
    ],
    "09": [
        (r"年初", "年初结转和结余"),
        (r"本年收入", "本年收入"),
        (r"本年支出.*(小计|合计)|^本年支出$|^合计$|^小计$", "本年支出合计"),
        (r"基本支出", "基本支出"),
        (r"项目支出", "项目支出"),
        (r"年末", "年末结转和结余"),
    ],
}

# Row-sum identities of grid tables: total column = Σ item columns.
ROW_SUMS: dict[str, tuple[str, list[str]]] = {
    "02": (
        "本年收入合计",
        ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
    ),
    "03": ("本年支出合计", ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]),
    "05": ("合计", ["基本支出", "项目支出"]),
    "08": ("本年支出合计", ["基本支出", "项目支出"]),
    "09": ("本年支出合计", ["基本支出", "项目支出"]),
}

# Two-block tables (01, 04): label synonyms -> canonical row key, per block.
ROW_LABELS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "01": {
        "收入": [
            (r"^一般公共预算财政拨款(收入)?$", "一般公共预算财政拨款收入"),
            (r"^政府性基金预算财政拨款(收入)?$", "政府性基金预算财政拨款收入"),
            (r"^国有资本经营预算财政拨款(收入)?$", "国有资本经营预算财政拨款收入"),
            (r"^财政拨款收入$", "财政拨款收入"),
            (r"^上级补助收入$", "上级补助收入"),
            (r"^事业收入$", "事业收入"),
            (r"^经营收入$", "经营收入"),
            (r"^附属单位上缴收入$", "附属单位上缴收入"),
            (r"^其他收入$", "其他收入"),
            (r"^本年收入合计$", "本年收入合计"),
            (r"^(用事业基金弥补收支差额|使用非财政拨款结余.*)$", "使用非财政拨款结余"),
            (r"^年初结转和结余$", "年初结转和结余"),
            (r"^总计$", "总计"),
        ],
        "支出": [
            (r"^本年支出合计$", "本年支出合计"),
            (r"^结余分配$", "结余分配"),
            (r"^年末结转和结余$", "年末结转和结余"),
            (r"^总计$", "总计"),
        ],
    },
    "04": {
        "收入": [
            (r"^一般公共预算财政拨款(收入)?$", "一般公共预算财政拨款"),
            (r"^政府性基金预算财政拨款(收入)?$", "政府性基金预算财政拨款"),
            (r"^国有资本经营预算财政拨款(收入)?$", "国有资本经营预算财政拨款"),
            (r"^本年收入合计$", "本年收入合计"),
            (r"^年初财政拨款结转和结余$", "年初财政拨款结转和结余"),
            (r"^总计$", "总计"),
        ],
        "支出": [
            (r"^本年支出合计$", "本年支出合计"),
            (r"^年末财政拨款结转和结余$", "年末财政拨款结转和结余"),
            (r"^总计$", "总计"),
        ],
    },
}

FUNDS_04 = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]

# 04 expense columns.
COLUMNS_04 = [
    (r"^合计$|^小计$", "合计"),
    (r"一般公共预算", "一般公共预算财政拨款"),
    (r"政府性基金", "政府性基金预算财政拨款"),
    (r"国有资本经营", "国有资本经营预算财政拨款"),
]

# Functional classification 类: code -> {era: name}. Used to key 01/04 expense rows by code.
CLASS_NAMES: dict[str, dict[str, str]] = {
    "201": {"2018": "一般公共服务支出", "2020+": "一般公共服务支出"},
    "202": {"2018": "外交支出", "2020+": "外交支出"},
    "203": {"2018": "国防支出", "2020+": "国防支出"},
    "204": {"2018": "公共安全支出", "2020+": "公共安全支出"},
    "205": {"2018": "教育支出", "2020+": "教育支出"},
    "206": {"2018": "科学技术支出", "2020+": "科学技术支出"},
    "207": {"2018": "文化体育与传媒支出", "2020+": "文化旅游体育与传媒支出"},
    "208": {"2018": "社会保障和就业支出", "2020+": "社会保障和就业支出"},
    "210": {"2018": "医疗卫生与计划生育支出", "2020+": "卫生健康支出"},
    "211": {"2018": "节能环保支出", "2020+": "节能环保支出"},
    "212": {"2018": "城乡社区支出", "2020+": "城乡社区支出"},
    "213": {"2018": "农林水支出", "2020+": "农林水支出"},
    "214": {"2018": "交通运输支出", "2020+": "交通运输支出"},
    "215": {"2018": "资源勘探信息等支出", "2020+": "资源勘探工业信息等支出"},
    "216": {"2018": "商业服务业等支出", "2020+": "商业服务业等支出"},
    "217": {"2018": "金融支出", "2020+": "金融支出"},
    "219": {"2018": "援助其他地区支出", "2020+": "援助其他地区支出"},
    "220": {"2018": "国土海洋气象等支出", "2020+": "自然资源海洋气象等支出"},
    "221": {"2018": "住房保障支出", "2020+": "住房保障支出"},
    "222": {"2018": "粮油物资储备支出", "2020+": "粮油物资储备支出"},
    "223": {"2018": "国有资本经营预算支出", "2020+": "国有资本经营预算支出"},
    "224": {"2020+": "灾害防治及应急管理支出"},
    "227": {"2018": "预备费", "2020+": "预备费"},
    "229": {"2018": "其他支出", "2020+": "其他支出"},
    "230": {"2018": "转移性支出", "2020+": "转移性支出"},
    "231": {"2018": "债务还本支出", "2020+": "债务还本支出"},
    "232": {"2018": "债务付息支出", "2020+": "债务付息支出"},
    "233": {"2018": "债务发行费用支出", "2020+": "债务发行费用支出"},
    "234": {"2020+": "抗疫特别国债安排的支出"},
}


# 类 name -> (its code, the eras that use that name), the first code listing the name winning
_CLASS_OF_NAME: dict[str, tuple[str, frozenset[str]]] = {}
for _code, _names in CLASS_NAMES.items():
    for _name in _names.values():
        _CLASS_OF_NAME.setdefault(_name, (_code, frozenset(e for e, n in _names.items() if n == _name)))


def class_code_for_name(name: str) -> str | None:
    found = _CLASS_OF_NAME.get(name)
    return found[0] if found else None


def class_era_of_name(name: str) -> set[str]:
    found = _CLASS_OF_NAME.get(name)
    return set(found[1]) if found else set()


# 三公 table columns: the lowest header level names the item; 预算/决算 from the path.
SANGONG_ITEMS = [
    (r"小计", "公务用车小计"),
    (r"购置费", "公务用车购置费"),
    (r"运行", "公务用车运行费"),
    (r"出国", "因公出国（境）费"),
    (r"接待", "公务接待费"),
    (r"合计", "合计"),
]

# Label normalisation shared by the locator and parsers.
_NUMBERING = re.compile(
    r"^(其中[:：]?)?([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[、.．])"
)
_REMOVED = "“”\"'‘’「」 \u3000\t\r\n"
_QUOTES = str.maketrans("", "", _REMOVED)
# translate reads a text character by character (several times a search): only texts holding a
# character it removes are translated, and most labels hold none
_HAS_REMOVED = re.compile(f"[{re.escape(_REMOVED)}]")
_NUMBERING_FIRST = frozenset("其一二三四五六七八九十（(")  # what _NUMBERING opens with, besides \d


def norm_label(text: object) -> str:
    """'  一、财政拨款收入 ' -> '财政拨款收入'; quotes and whitespace removed."""
    if not isinstance(text, str):
        return ""
    s = text.translate(_QUOTES) if _HAS_REMOVED.search(text) else text
    head = s[:1]
    if head in _NUMBERING_FIRST or head.isdecimal():  # (\d is isdecimal) only then can _NUMBERING match
        s = _NUMBERING.sub("", s)
    return s


def norm_text(text: object) -> str:
    """Whitespace and quotes removed, numbering kept."""
    if not isinstance(text, str):
        return ""
    return text.translate(_QUOTES) if _HAS_REMOVED.search(text) else text
