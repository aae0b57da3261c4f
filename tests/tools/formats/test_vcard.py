"""vCard as Outlook really writes it (tests/data/vcard): version 2.1, quoted-printable values
continued with soft line breaks, raw Windows-1252 bytes named by CHARSET, ORG with a department,
fax and pager numbers; and malformed files refused at their own line."""

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import DATA, EXAMPLES

from syncsim.harness import World, speed
from syncsim.harness.tools.formats import vcard
from syncsim.harness.tools.formats.errors import FormatError
from syncsim.harness.tools.formats.vcard import read_vcf, write_vcf

VCARDS = DATA / "vcard"


def test_an_outlook_21_card_with_quoted_printable_and_windows_1252_lands_in_the_right_fields():
    [contact] = read_vcf(VCARDS / "outlook-2.1-quoted-printable-windows-1252.vcf")
    assert contact == {
        "FirstName": "Jürgen",
        "LastName": "Müller",
        "JobTitle": "Leiter Vertrieb",
        # a QP value over two lines (soft break), with an encoded line break and a comma
        "Body": "Erste Zeile\nZweite Zeile mit einer sehr langen Fortsetzung, die Outlook umbricht",
        "CompanyName": "Contoso Ltd",
        "Department": "Sales",
        "Email1Address": "juergen.mueller@contoso.de",
        "BusinessTelephoneNumber": "+49 30 1234567",
        "BusinessFaxNumber": "+49 30 1234568",
        "PagerNumber": "+49 30 99",
        "BusinessAddressStreet": "Hauptstraße 5\nHinterhaus",
        "BusinessAddressCity": "Berlin",
        "BusinessAddressPostalCode": "10115",
        "BusinessAddressCountry": "Deutschland",
        "SelectedMailingAddress": "business",
    }


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("broken-line-5.vcf", 5, "not a vCard property line: 'this is no property line'"),
        (
            "raw-8-bit-without-charset-line-3.vcf",
            3,
            "cannot be read as UTF-8, and the line names no CHARSET (invalid start byte)",
        ),
    ],
)
def test_a_malformed_card_is_refused_at_its_own_line(name, line, message):
    with pytest.raises(FormatError) as refused:
        read_vcf(VCARDS / name)
    assert str(refused.value) == f"{VCARDS / name}:{line}: {message}"


def test_an_outlook_2019_card_brings_its_web_page_nickname_and_dates_and_names_what_it_leaves():
    path = VCARDS / "outlook-2019-label-soft-breaks-dates-url.vcf"
    notes: list[str] = []
    [contact] = read_vcf(path, notes)
    assert contact["WebPage"] == "www.fabrikam.example"
    assert contact["NickName"] == "Chi"
    assert contact["Birthday"] == datetime(1980, 2, 29, tzinfo=UTC)
    assert contact["Anniversary"] == datetime(2010, 6, 15, tzinfo=UTC)
    assert contact["BusinessFaxNumber"] == "+44 20 7946 0001"
    assert contact["BusinessAddressStreet"] == "1 Harbour Row"  # the LABEL's soft breaks did not leak
    assert notes == [  # (Mr. is N's prefix: Outlook's Title, which syncsim does not sync)
        f"{path}: N prefix (title) of 1 contact(s) not imported",
        f"{path}: X-MS-IMADDRESS of 1 contact(s) not imported",
    ]


def test_web_page_nickname_and_dates_survive_a_round_trip(tmp_path):
    [contact] = read_vcf(VCARDS / "outlook-2019-label-soft-breaks-dates-url.vcf")
    write_vcf(tmp_path / "out.vcf", [contact])
    [again] = read_vcf(tmp_path / "out.vcf")
    kept = ("WebPage", "NickName", "Birthday", "Anniversary", "FirstName", "LastName", "JobTitle")
    assert {k: again[k] for k in kept} == {k: contact[k] for k in kept}


def test_every_telephone_outlook_has_survives_a_round_trip(tmp_path):
    phones = {
        "BusinessTelephoneNumber": "1",
        "Business2TelephoneNumber": "2",
        "BusinessFaxNumber": "3",
        "PagerNumber": "4",
        "MobileTelephoneNumber": "5",
        "HomeTelephoneNumber": "6",
        "Home2TelephoneNumber": "7",
    }
    contact = {"FirstName": "Ann", "LastName": "Lee", **phones}
    write_vcf(tmp_path / "p.vcf", [contact])
    assert read_vcf(tmp_path / "p.vcf") == [contact]


def _both_ways(path: Path) -> tuple[list[Any], list[Any]]:
    fast = [(item.line, item.fields) for item in vcard.read(path).items]
    with speed.switched(False):  # every card through vobject
        slow = [(item.line, item.fields) for item in vcard.read(path).items]
    return fast, slow


@pytest.mark.parametrize("sample", sorted([*VCARDS.glob("*.vcf"), *(DATA / "public").glob("*.vcf")]), ids=str)
def test_the_fast_path_reads_every_sample_as_vobject_does(sample):
    fast, slow = _both_ways(sample)
    assert fast == slow


def test_the_fast_path_holds_names_and_addresses_in_vobjects_own_order():
    import vobject

    assert vcard._Name._fields == vobject.vcard.NAME_ORDER
    assert vcard._Address._fields == vobject.vcard.ADDRESS_ORDER


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "FirstName": st.text(min_size=1, max_size=12),
                "LastName": st.text(max_size=12),
                "JobTitle": st.text(max_size=90),
                "Body": st.text(max_size=40),
                "CompanyName": st.text(max_size=20),
                "BusinessAddressStreet": st.text(max_size=40),
                "HomeAddressCity": st.text(max_size=20),
                "MobileTelephoneNumber": st.text(max_size=15),
                "Email1Address": st.emails(),
            }
        ),
        min_size=1,
        max_size=4,
    )
)
def test_the_fast_path_reads_written_cards_as_vobject_does(contacts):
    """Commas, semicolons, backslashes, line breaks, long lines that fold, any Unicode: the cards
    vobject writes read the same through the fast path and through vobject."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cards.vcf"
        write_vcf(path, contacts)
        fast, slow = _both_ways(path)
    assert fast == slow


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_an_unescaped_comma_in_a_one_value_text_is_kept_by_both_readings(tmp_path, version):
    """Many writers do not escape commas (vobject alone would keep "Scientist" of "Scientist,
    marine"); folded or not, through the fast path or vobject, the whole text arrives."""
    card = (
        f"BEGIN:VCARD\nVERSION:{version}\nN:Doe;Jo;;;\nFN:Jo Doe\nTITLE:Scientist, marine\n"
        "NICKNAME:Johnny,JQP\nNOTE:one\\, two, three and a line folded a\n nd joined\nEND:VCARD\n"
    )
    path = tmp_path / "commas.vcf"
    path.write_text(card)
    fast, slow = _both_ways(path)
    assert fast == slow
    fields = fast[0][1]
    assert fields["JobTitle"] == "Scientist, marine" and fields["NickName"] == "Johnny,JQP"
    assert fields["Body"] == "one, two, three and a line folded and joined"


_CARD_LINES = st.sampled_from(
    [
        "N:Doe;Jo;;;",
        "FN:Jo Doe",
        "TITLE:Scientist\\, marine",
        "ADR;TYPE=WORK:;;1 Main St;Springfield;IL;62701;USA",
        "TEL;TYPE=CELL:555-0100",
        "EMAIL:jo@example.com",
        "NOTE:folded a",
        " nd joined",
        "\tand tabbed",
        "\tTITLE:tabbed on",
        "",
        "   ",
        "this is no property line",
        "end:vcard",
        "BEGIN:VCARD",
        "BEG\u0131N:VCARD",  # a dotless i: case-blind matching takes it for a begin
        "item1.EMAIL:grouped@example.com",
        "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2",
    ]
)
_CARD = st.builds(
    lambda version, body, end: ["BEGIN:VCARD", f"VERSION:{version}", *body, *end],
    st.sampled_from(["3.0", "3.0 ", "2.1", "4.0"]),
    st.lists(_CARD_LINES, max_size=6),
    st.sampled_from([["END:VCARD"], ["END:VCARD "], ["end:vcard"], []]),
)


@settings(max_examples=150, deadline=None)
@given(
    cards=st.lists(_CARD, min_size=1, max_size=4),
    between=st.sampled_from(["", "\n", "stray text\n"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    tail=st.sampled_from(["", "\n", "\n\n"]),
)
def test_a_file_cut_at_once_reads_as_line_by_line_through_vobject(cards, between, newline, tail):
    """The common file (cards back to back) is cut into cards at once, and plain cards are read
    by the fast path; any file, however laid out, gives the same contacts, problems and notes
    as reading it line by line, every card through vobject."""
    text = between.join("\n".join(card) + "\n" for card in cards) + tail
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cards.vcf"
        path.write_bytes(text.replace("\n", newline).encode())
        cut = _outcome(path)
        with speed.switched(False):  # line by line, every card through vobject
            by_vobject = _outcome(path)
    assert cut == by_vobject


def test_an_export_of_plain_cards_is_cut_at_once_and_read_by_the_fast_path(tmp_path):
    contacts = [
        {"FirstName": f"Ann{n}", "LastName": "Lee", "JobTitle": "a long title, " * 8} for n in range(3)
    ]
    write_vcf(tmp_path / "cards.vcf", contacts)
    text = (tmp_path / "cards.vcf").read_text().replace("\r\n", "\n")
    cards = vcard._plain_cards(text)
    assert [start for start, _ in cards] == [
        1,
        1 + cards[0][1].count("\n") + 1,
        1 + sum(c.count("\n") + 1 for _, c in cards[:2]),
    ]
    assert all(vcard._fast_card(card) is not None for _, card in cards)


def _outcome(path: Path) -> Any:
    try:
        export = vcard.read(path)
    except FormatError as refused:
        return str(refused)
    return (
        [(i.line, i.fields) for i in export.items],
        [str(p) for p in export.problems],
        export.notes,
        export.format,
    )


def _present(item: dict) -> dict:
    return {k: v for k, v in item.items() if v not in (None, "")}


def test_contacts_round_trip_through_vcard(tmp_path):
    world = World(seed=4)
    contacts = [_present(world.factory.outlook_contact()) for _ in range(20)]
    write_vcf(tmp_path / "c.vcf", contacts)
    assert read_vcf(tmp_path / "c.vcf") == contacts


def test_outlooks_own_vcard_21_reads_every_address_and_the_mailing_choice():
    [first, *_] = read_vcf(EXAMPLES / "outlook-contacts.vcf")
    assert first["FirstName"] and first["LastName"] and first["Email1Address"]
    assert first["BusinessAddressCity"] and first["HomeAddressCity"]
    assert first["SelectedMailingAddress"] == "business"
    sara = [c for c in read_vcf(EXAMPLES / "outlook-contacts.vcf") if c.get("OtherAddressCity")][0]
    assert sara["SelectedMailingAddress"] in ("home", "business")


def test_vcard_4_types_and_several_cards_per_file(tmp_path):
    path = tmp_path / "v4.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:4.0\nN:Lund;Ben;;;\nFN:Ben Lund\nADR;TYPE=home:;;5 Road;Tromsø;;9000;Norway\n"
        "ADR;TYPE=work,pref:;;1 Quay;Oslo;;0150;Norway\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Berg;Ann;;;\nFN:Ann Berg\nADR;TYPE=INTL:;;3 Pier;Bodø;;;\nEND:VCARD\n"
    )
    ben, ann = read_vcf(path)
    assert (ben["HomeAddressCity"], ben["BusinessAddressCity"]) == ("Tromsø", "Oslo")
    assert ann["OtherAddressCity"] == "Bodø"


def test_vcard_properties_without_an_outlook_property_are_reported(tmp_path):
    path = tmp_path / "extra.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nN:Lund;Ben;;;\nFN:Ben Lund\nGEO:59.9;10.7\nX-MS-IMADDRESS:b@im\n"
        "END:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Berg;Ann;;;\nFN:Ann Berg\nX-MS-IMADDRESS:a@im\nEND:VCARD\n"
    )
    notes: list[str] = []
    assert len(read_vcf(path, notes)) == 2
    assert notes == [
        f"{path}: GEO of 1 contact(s) not imported",
        f"{path}: X-MS-IMADDRESS of 2 contact(s) not imported",
    ]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("junk\nBEGIN:VCARD\nN:A;B\nEND:VCARD\n", 1, "text outside any BEGIN:VCARD block"),
        ("BEGIN:VCARD\nVERSION:3.0\nN:A;B\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nN:C;D\n", 5, "contact 2"),
        ("BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n", 1, "without N or FN"),
        (
            "BEGIN:VCARD\nVERSION:3.0\nN:A;B\nX-MS-OL-DEFAULT-POSTAL-ADDRESS:7\nEND:VCARD\n",
            1,
            "use 0, 1, 2 or 3",
        ),
        ("", 1, "no BEGIN:VCARD found"),
    ],
)
def test_a_malformed_vcard_names_file_line_and_problem(tmp_path, text, line, problem):
    path = tmp_path / "bad.vcf"
    path.write_text(text)
    with pytest.raises(FormatError) as error:
        read_vcf(path)
    assert error.value.path == path and error.value.line == line and problem in error.value.problem


# -- every number Outlook and Apple write, and what has no field in CRM ------------------------------


def _one_card(tmp_path: Path, body: str, version: str = "3.0") -> tuple[dict[str, Any], list[str]]:
    path = tmp_path / "card.vcf"
    path.write_text(f"BEGIN:VCARD\nVERSION:{version}\nN:Lee;Bo;;;\nFN:Bo Lee\n{body}END:VCARD\n")
    notes: list[str] = []
    [contact] = read_vcf(path, notes)
    return contact, [note.removeprefix(f"{path}: ") for note in notes]


def test_outlooks_own_numbers_land_in_their_fields_and_a_radio_is_named_not_misplaced(tmp_path):
    contact, notes = _one_card(
        tmp_path,
        "X-MS-TEL;VOICE;CALLBACK:111\nX-MS-TEL;VOICE;ASSISTANT:222\nX-MS-TEL;VOICE;COMPANY:333\n"
        "X-MS-TEL;VOICE;RADIO:444\nTEL;VOICE:555\nX-MS-MANAGER:Ann\nX-MS-SPOUSE:Cy\nX-MS-CHILD:Di\n"
        "X-MS-CHILD:Ed\n",
        version="2.1",
    )
    assert (contact["CallbackTelephoneNumber"], contact["AssistantTelephoneNumber"]) == ("111", "222")
    assert (contact["CompanyMainTelephoneNumber"], contact["OtherTelephoneNumber"]) == ("333", "555")
    assert (contact["ManagerName"], contact["Spouse"], contact["Children"]) == ("Ann", "Cy", "Di, Ed")
    assert notes == ["TEL;RADIO of 1 contact(s) not imported"]


def test_a_home_fax_is_no_second_home_phone_and_apples_labels_are_read(tmp_path):
    contact, notes = _one_card(
        tmp_path,
        "TEL;TYPE=HOME:1\nTEL;TYPE=HOME,FAX:2\nitem1.TEL:3\nitem1.X-ABLabel:_$!<Assistant>!$_\n"
        "item2.X-ABRELATEDNAMES:Mo\nitem2.X-ABLabel:_$!<Manager>!$_\nURL:http\\://www.example.com\n",
    )
    assert contact["HomeTelephoneNumber"] == "1" and "Home2TelephoneNumber" not in contact
    assert contact["AssistantTelephoneNumber"] == "3" and contact["ManagerName"] == "Mo"
    assert contact["WebPage"] == "http://www.example.com"  # Apple escapes the colon
    assert notes == ["TEL;FAX;HOME of 1 contact(s) not imported"]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r", "\r\r\n"], ids=["LF", "CRLF", "CR", "CR-CR-LF"])
def test_a_bad_line_is_named_at_the_line_an_editor_shows_whatever_the_line_ends(tmp_path, end):
    lines = ["BEGIN:VCARD", "VERSION:3.0", "N:Lee;Bo;;;", "FN:Bo Lee", "this is no property", "END:VCARD"]
    path = tmp_path / "ends.vcf"
    path.write_bytes(end.join(lines).encode() + end.encode())
    with pytest.raises(FormatError) as refused:
        read_vcf(path)
    assert str(refused.value).startswith(f"{path}:5: not a vCard property line")
