"""Gazetteer and relevance (ttdn.pipeline.relevance): names, variants, traps, offsets, scores."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn.data import AdminUnit, load_admin_units
from ttdn.pipeline.relevance import (
    DEFAULT_COUNTRIES,
    Gazetteer,
    Mention,
    assess,
    build_gazetteer,
    find_mentions,
    is_vietnamese_text,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "relevance"
UNITS = load_admin_units()
HOLDER = {former: u.slug for u in UNITS for former in u.former_units_slugs}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return build_gazetteer()


def units_in(mentions: list[Mention]) -> set[str]:
    return {s for m in mentions for s in m.unit_slugs}


def only(text: str, gaz: Gazetteer) -> Mention:
    found = find_mentions(text, gaz)
    assert len(found) == 1, [(m.text, m.kind, m.unit_slug) for m in found]
    return found[0]


# --- recorded headlines (DANeS, CC BY 4.0) with our hand annotation --------------------------

EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
RECORDS = [
    json.loads(line)
    for line in (FIXTURES / "danes_headlines.jsonl").read_text(encoding="utf-8").splitlines()
]


@pytest.mark.parametrize("record", RECORDS, ids=[str(r["id"]) for r in RECORDS])
def test_recorded_headlines_match_hand_annotation(record: dict[str, str], gaz: Gazetteer) -> None:
    expected = EXPECTED[str(record["id"])]
    result = assess(gaz, title=record["title"], text=record["description"] or "")
    mentions = [*result.title_mentions, *result.text_mentions]
    assert units_in(mentions) == set(expected["units"])
    assert {m.former_unit_slug for m in mentions if m.former} == set(expected["former"])
    assert {m.country for m in mentions} == set(expected["countries"])
    assert result.relevant == bool(expected["countries"])


def test_every_fixture_record_is_annotated() -> None:
    assert {str(r["id"]) for r in RECORDS} == {k for k in EXPECTED if not k.startswith("_")}


# --- the 34 units and the 63 former units -----------------------------------------------------


@pytest.mark.parametrize(
    ("former_slug", "name"),
    [(s, n) for u in UNITS for s, n in u.former_pairs()],
    ids=[s for u in UNITS for s, _ in u.former_pairs()],
)
def test_each_former_unit_name_maps_to_the_unit_that_absorbed_it(
    former_slug: str, name: str, gaz: Gazetteer
) -> None:
    # The bare "Hồ Chí Minh" is also the president (rule 7): the city needs "TP".
    text = f"Tin mới nhất từ {'TP ' if name == 'Hồ Chí Minh' else 'tỉnh '}{name} hôm nay."
    m = only(text, gaz)
    assert m.kind == "unit"
    assert m.unit_slug == HOLDER[former_slug]
    assert m.former == (former_slug != HOLDER[former_slug])
    assert m.former_unit_slug == (former_slug if m.former else None)
    assert text[m.start : m.end] == m.text


@pytest.mark.parametrize("unit", UNITS, ids=[u.slug for u in UNITS])
def test_english_name_of_each_unit(unit: AdminUnit, gaz: Gazetteer) -> None:
    text = f"Officials in {unit.name_en} said on Monday that Vietnam would act."
    found = find_mentions(text, gaz)
    assert [m.unit_slug for m in found if m.kind == "unit"] == [unit.slug]


def test_lam_dong_absorbs_dak_nong_and_binh_thuan_from_the_data(gaz: Gazetteer) -> None:
    lam_dong = next(u for u in UNITS if u.slug == "lam-dong")
    assert {"dak-nong", "binh-thuan"} <= set(lam_dong.former_units_slugs)
    for slug, name in lam_dong.former_pairs():
        m = only(f"Mưa lớn ở {name}.", gaz)
        assert (m.unit_slug, m.former_unit_slug) == (
            "lam-dong",
            None if slug == "lam-dong" else slug,
        )


# --- Unicode, tone placement, accents ------------------------------------------------------------


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_decomposed_and_composed_input_give_the_same_mentions(form: str, gaz: Gazetteer) -> None:
    nfc = "Du khách đổ về Đà Nẵng và Hội An (Quảng Nam cũ), Việt Nam."
    text = unicodedata.normalize(form, nfc)  # type: ignore[arg-type]
    found = find_mentions(text, gaz)
    assert [(m.kind, m.unit_slug) for m in found] == [
        ("unit", "da-nang"),
        ("place", "da-nang"),
        ("unit", "da-nang"),
        ("country", None),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
        assert unicodedata.normalize("NFC", m.text) in nfc
    if form == "NFD":
        assert len(text) > len(nfc)  # the offsets really are into the longer string


@pytest.mark.parametrize(
    ("text", "slug", "former"),
    [
        ("Thanh Hoá", "thanh-hoa", False),
        ("Thanh Hóa", "thanh-hoa", False),
        ("Hoà Bình", "phu-tho", True),
        ("Hòa Bình", "phu-tho", True),
        ("Khánh Hoà", "khanh-hoa", False),
        ("Biên Hoà", "dong-nai", False),
        ("Thừa Thiên Huế", "hue", False),
        ("Thừa Thiên-Huế", "hue", False),
    ],
)
def test_old_and_new_tone_placement(text: str, slug: str, former: bool, gaz: Gazetteer) -> None:
    m = only(f"Tin từ {text}.", gaz)
    assert (m.unit_slug, m.former) == (slug, former)
    assert m.text == text


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Viet Nam", None),
        ("Viêt Nam", None),
        ("Da Nang", "da-nang"),
        ("Danang", "da-nang"),
        ("Đa Nang", "da-nang"),
        ("Ha Noi", "ha-noi"),
        ("Hanoi", "ha-noi"),
        ("Hanoï", "ha-noi"),
        ("HaNoi", "ha-noi"),
        ("Ho Chi Minh City", "ho-chi-minh"),
        ("HCMC", "ho-chi-minh"),
        ("Saigon", "ho-chi-minh"),
        ("Saïgon", "ho-chi-minh"),
        ("TP.HCM", "ho-chi-minh"),
        ("TP HCM", "ho-chi-minh"),
        ("TPHCM", "ho-chi-minh"),
        ("Hô-Chi-Minh-Ville", "ho-chi-minh"),
        ("Ba Ria - Vung Tau", "ho-chi-minh"),
        ("Quang Nam", "da-nang"),
        ("Dak Nong", "lam-dong"),
    ],
)
def test_spellings_foreign_writers_use(text: str, slug: str | None, gaz: Gazetteer) -> None:
    m = only(f"Reports from {text} this week.", gaz)
    assert m.unit_slug == slug and m.country == "VN" and m.text == text


def test_different_diacritics_do_not_match(gaz: Gazetteer) -> None:
    # "Huệ" (a lily, a given name) is not "Huế"; "Hạ Nam" is not "Hà Nam".
    assert find_mentions("Anh Nguyễn Huệ mua hoa huệ.", gaz) == []
    assert find_mentions("Ông Hạ Nam nói.", gaz) == []


def test_stripped_forms_are_refused_inside_vietnamese_text(gaz: Gazetteer) -> None:
    text = "Giá cổ phiếu lao dốc; Lao dốc không phanh vì bệnh lao, người lao động lo lắng."
    assert is_vietnamese_text(text)
    assert find_mentions(text, gaz) == []
    assert [m.country for m in find_mentions("Hợp tác với Lào được tăng cường.", gaz)] == ["LA"]


def test_lao_cai_is_a_province_not_laos(gaz: Gazetteer) -> None:
    found = find_mentions("Cao tốc Nội Bài - Lào Cai thu phí.", gaz)
    assert [(x.kind, x.unit_slug) for x in found] == [("place", "ha-noi"), ("unit", "lao-cai")]


# --- ambiguity and false positives -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The hue of the evening sky shifted to violet.",
        "Hue and saturation are adjusted in the photo editor.",
        "A warm hue; HUE values range from 0 to 360.",
        "Son la mejores playas del país, dijo.",
        "So long and thanks; long an hour.",
        "Lời bài hát ca ngợi hòa bình; cao bằng hai tầng nhà; hải dương học.",
        "Tàu thuyền trên Thái Bình Dương và Châu Á - Thái Bình Dương.",
        "Tensions in the South China Sea and the East China Sea rose.",
        "He wore a Thai silk tie; ネクタイ and タイム are Japanese words.",
    ],
)
def test_false_positive_traps(text: str, gaz: Gazetteer) -> None:
    found = [(m.text, m.country) for m in find_mentions(text, gaz)]
    assert all(country != "VN" for _, country in found), found
    if "ネクタイ" in text:
        assert found == [("Thai", "TH")]


def test_ascii_hue_counts_only_with_vietnam_context(gaz: Gazetteer) -> None:
    assert find_mentions("Hue is lovely in spring.", gaz) == []
    found = find_mentions("Hue is lovely in spring; Vietnam's old capital draws crowds.", gaz)
    assert [(m.unit_slug, m.ambiguous) for m in found] == [("hue", True), (None, False)]
    # Context may come from the other field of the same article.
    result = assess(gaz, title="Hue in spring", text="A trip through central Vietnam.")
    assert [m.unit_slug for m in result.title_mentions] == ["hue"]


def test_capitalised_vietnamese_common_words_are_places_only_when_proper(gaz: Gazetteer) -> None:
    assert [m.unit_slug for m in find_mentions("Tỉnh Hòa Bình cũ.", gaz)] == ["phu-tho"]
    assert find_mentions("HÒA BÌNH LÀ KHÁT VỌNG", gaz) == []  # no_upper: "peace" in caps
    assert [m.unit_slug for m in find_mentions("BÃO VÀO HÀ NỘI", gaz)] == ["ha-noi"]


def test_place_after_a_family_name_is_a_person(gaz: Gazetteer) -> None:
    assert find_mentions("Anh Nguyễn Thái Bình và chị Lê Văn Hòa Bình.", gaz) == []
    assert [m.unit_slug for m in find_mentions("Quê ở Thái Bình.", gaz)] == ["hung-yen"]


def test_bare_ho_chi_minh_is_a_person_signal_not_the_city(gaz: Gazetteer) -> None:
    m = only("Chủ tịch Hồ Chí Minh đọc Tuyên ngôn Độc lập.", gaz)
    assert (m.kind, m.country, m.unit_slug) == ("person", "VN", None)
    found = find_mentions("Chợ Bến Thành ở Thành phố Hồ Chí Minh.", gaz)
    assert [(x.kind, x.unit_slug) for x in found] == [
        ("place", "ho-chi-minh"),
        ("unit", "ho-chi-minh"),
    ]


# --- places and regions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ha Long Bay", "quang-ninh"),
        ("vịnh Hạ Long", "quang-ninh"),
        ("baie d'Along", "quang-ninh"),
        ("Hoi An", "da-nang"),
        ("Phong Nha", "quang-tri"),
        ("Sa Pa", "lao-cai"),
        ("Sapa", "lao-cai"),
        ("Da Lat", "lam-dong"),
        ("Dalat", "lam-dong"),
        ("Phu Quoc", "an-giang"),
        ("Con Dao", "ho-chi-minh"),
        ("Nha Trang", "khanh-hoa"),
        ("Mui Ne", "lam-dong"),
        ("Quy Nhon", "gia-lai"),
        ("Dien Bien Phu", "dien-bien"),
        ("Cu Chi", "ho-chi-minh"),
        ("下龙湾", "quang-ninh"),
        ("ハロン湾", "quang-ninh"),
    ],
)
def test_places_map_to_their_current_unit(text: str, slug: str, gaz: Gazetteer) -> None:
    found = [m for m in find_mentions(f"Visiting {text} this summer.", gaz) if m.kind == "place"]
    assert [(m.unit_slug, m.text) for m in found] == [(slug, text)]


def test_regions_name_several_units(gaz: Gazetteer) -> None:
    m = only("Salinity hits the Mekong Delta.", gaz)
    assert m.kind == "region" and m.unit_slug is None
    assert {"can-tho", "an-giang", "ca-mau", "vinh-long", "dong-thap"} <= set(m.unit_slugs)


def test_every_place_and_variant_in_the_data_names_a_real_unit(gaz: Gazetteer) -> None:
    slugs = {u.slug for u in UNITS}
    for alias in gaz.aliases:
        assert set(alias.unit_slugs) <= slugs, alias
        if alias.unit_slug is not None:
            assert alias.unit_slug in slugs


# --- countries in many languages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("vi", "Quan hệ Việt Nam - Hoa Kỳ", "VN"),
        ("en", "Vietnamese exporters", "VN"),
        ("fr", "les entreprises vietnamiennes", "VN"),
        ("fr", "au Viêt Nam", "VN"),
        ("es", "el gobierno vietnamita", "VN"),
        ("it", "i turisti vietnamiti", "VN"),
        ("pt", "o Vietnã e o Vietname", "VN"),
        ("de", "die vietnamesischen Behörden", "VN"),
        ("id", "ekspor Vietnam", "VN"),
        ("ru", "во Вьетнаме", "VN"),
        ("zh", "越南政府表示", "VN"),
        ("ja", "ベトナム政府は", "VN"),
        ("ko", "베트남의 수출", "VN"),
        ("th", "รัฐบาลเวียดนามกล่าว", "VN"),
        ("lo", "ສປປ ລາວ ແລະ ຫວຽດນາມ", "VN"),
        ("km", "ប្រទេសវៀតណាម", "VN"),
        ("ar", "قالت الحكومة الفيتنامية", "VN"),
        ("ar", "بفيتنام", "VN"),
        ("en", "Thai authorities", "TH"),
        ("fr", "la Thaïlande", "TH"),
        ("es", "Tailandia", "TH"),
        ("ru", "в Таиланде", "TH"),
        ("en", "Indonesian", "ID"),
        ("de", "Malaysias", "MY"),
        ("es", "Filipinas", "PH"),
        ("fr", "Singapour", "SG"),
        ("it", "Cambogia", "KH"),
        ("ko", "라오스", "LA"),
        ("en", "Chinese", "CN"),
        ("ru", "китайские власти", "CN"),
        ("en", "Burmese", "MM"),
        ("zh", "文莱", "BN"),
        ("en", "East Timor", "TL"),
    ],
)
def test_country_names_and_demonyms(lang: str, text: str, country: str, gaz: Gazetteer) -> None:
    found = [m for m in find_mentions(text, gaz) if m.kind == "country"]
    assert country in {m.country for m in found}, (lang, text, found)
    for m in found:
        assert text[m.start : m.end] == m.text


# Short Thai/Lao/Khmer names ("ลาว", "ໄທ", "ចិន") are ordinary syllables inside other words
# ("ลาวา" lava; Lao "ລາວ" is also "he/she"); the gazetteer only lists their long forms.
CLDR_EXCLUDED = {
    ("th", "LA"),
    ("th", "CN"),
    ("lo", "TH"),
    ("lo", "LA"),
    ("lo", "CN"),
    ("km", "TH"),
    ("km", "LA"),
    ("km", "CN"),
}
LANGS = [
    "vi",
    "en",
    "fr",
    "zh",
    "zh_Hant",
    "ru",
    "es",
    "de",
    "ja",
    "ko",
    "th",
    "lo",
    "km",
    "it",
    "pt",
    "pt_PT",
    "ar",
    "id",
    "ms",
]


@pytest.mark.parametrize("lang", LANGS)
def test_cldr_country_names_are_recognised(lang: str, gaz: Gazetteer) -> None:
    babel = pytest.importorskip("babel")
    locale = babel.Locale.parse(lang)
    missing = []
    for code in DEFAULT_COUNTRIES:
        if (lang.split("_")[0], code) in CLDR_EXCLUDED:
            continue
        for part in filter(None, re.split(r"\s*[()]\s*", locale.territories[code])):
            found = find_mentions(part, gaz)
            if not any(m.country == code and (m.start, m.end) == (0, len(part)) for m in found):
                missing.append((code, part))
    assert missing == []


def test_country_set_is_a_parameter() -> None:
    vn_only = build_gazetteer(["VN"])
    th_only = build_gazetteer(["TH"])
    text = "Thailand and Vietnam: Bangkok meets Hanoi."
    assert {m.country for m in find_mentions(text, vn_only)} == {"VN"}
    assert [(m.country, m.kind) for m in find_mentions(text, th_only)] == [("TH", "country")]
    with pytest.raises(ValueError, match="unknown country"):
        build_gazetteer(["XX"])


# --- relevance score -----------------------------------------------------------------------------


def test_title_mention_makes_an_article_relevant(gaz: Gazetteer) -> None:
    r = assess(gaz, title="Vietnam's exports rise", text="Shipments grew in October.")
    assert r.relevant and r.score > 0.5 and r.share == 1.0


def test_one_passing_mention_deep_in_a_long_article_is_not_enough(gaz: Gazetteer) -> None:
    body = ("Thailand's tourism board expects more visitors. " * 20) + "Vietnam was also cited."
    r = assess(gaz, title="Bangkok airport expands", text=body)
    assert not r.relevant
    th = assess(gaz, title="Bangkok airport expands", text=body, country="TH")
    assert th.relevant and th.share > r.share
    assert 0 < r.share < 0.1


def test_unit_counts_roll_former_names_onto_current_units(gaz: Gazetteer) -> None:
    r = assess(gaz, title="Lũ ở Quảng Nam", text="Quảng Nam và Đà Nẵng, Đắk Nông và Lâm Đồng.")
    assert r.unit_counts == {"da-nang": 3, "lam-dong": 2}


def test_empty_input(gaz: Gazetteer) -> None:
    assert find_mentions("", gaz) == []
    r = assess(gaz)
    assert (r.score, r.relevant, r.share) == (0.0, False, 0.0)


# --- properties ----------------------------------------------------------------------------------

_GAZ = build_gazetteer()
_PIECE = st.one_of(
    st.text(max_size=8),
    st.text(alphabet="ăâđêôơưĐàáảãạệếềểễHhNnịộVvieta\u0300\u0301\u0303\u0309\u0323 -.", max_size=8),
    st.sampled_from(["Việt Nam", "Hà Nội", "TP.HCM", "ベトナム", "Вьетнам", "Hue", "Lào", "Huế"]),
)
_TEXT = st.lists(_PIECE, max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_matcher_never_raises_and_offsets_index_the_text(text: str) -> None:
    found = find_mentions(text, _GAZ)
    last_end = 0
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end  # sorted, no overlaps
        last_end = m.end
    r = assess(_GAZ, title=text, text=text)
    assert 0.0 <= r.score < 1.0 and 0.0 <= r.share <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_a_name_embedded_in_any_text_is_found_at_its_offset(prefix: str, suffix: str) -> None:
    text = f"{prefix} Việt Nam {suffix}"
    start = len(prefix) + 1
    found = find_mentions(text, _GAZ)
    assert any(m.start == start and m.end == start + 8 and m.country == "VN" for m in found) or any(
        m.start <= start < m.end
        for m in found  # swallowed by a longer overlapping name
    )
