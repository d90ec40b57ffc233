"""Staff are told before printing when this server has no font for a language's writing
(app/documents/fonts.py): such words would print as empty boxes."""

import pytest

from app.documents import fonts
from app.extensions import db

pytestmark = pytest.mark.usefixtures("fresh_font_lookups")


def test_the_writing_to_look_for_is_the_language_s_own_name_for_itself():
    assert fonts.sample_of("zh") == "".join(sorted("中文"))
    assert set(fonts.sample_of("ti")) == set("ትግርኛ")
    assert fonts.sample_of("prs")  # Dari, looked up as Persian: Babel has no "prs"
    assert fonts.sample_of("en") == "" and fonts.sample_of("so") == ""
    assert fonts.sample_of("not-a-language") == ""


def test_a_language_without_a_font_is_found_and_latin_ones_are_not_even_asked(no_chinese_font):
    assert fonts.fonts_missing_for(["en", "zh", "ar", "zh", "es"]) == [
        ("zh", "Chinese", "fonts-noto-cjk")]
    assert len(no_chinese_font) == 2  # Chinese and Arabic: Latin writing needs no lookup


def test_without_fontconfig_nothing_is_reported(monkeypatch):
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    assert fonts.fonts_missing_for(["zh", "pa"]) == []


def test_the_meeting_page_warns_when_its_languages_cannot_be_printed(staff_client, make_meeting,
                                                                     no_chinese_font):
    meeting = make_meeting(title="Chinatown tea", languages=["en", "zh"])
    db.session.commit()
    page = staff_client.get(f"/meetings/{meeting.id}").text
    assert "Some printouts would show empty boxes." in page and "Chinese" in page


def test_the_print_fonts_command_lists_each_community_language(app, no_chinese_font):
    app.config["COMMUNITY_LANGUAGES"] = ["en", "zh", "ar"]
    result = app.test_cli_runner().invoke(args=["print-fonts"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].split() == ["en", "English", "prints"]
    assert lines[1].startswith("zh") and "install fonts-noto-cjk" in lines[1]
    assert lines[2].split()[-1] == "prints"
    app.config["COMMUNITY_LANGUAGES"] = ["en", "ar"]
    assert app.test_cli_runner().invoke(args=["print-fonts"]).exit_code == 0
