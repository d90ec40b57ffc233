"""What the browser tests share: where Chromium is, page sizes, and the checks a person's eyes
and hands would make, written as small functions over a Playwright page."""

from pathlib import Path

from app.config import ROOT
from app.demo.seed import DEMO_LOGINS

CHROMIUM = Path("/usr/bin/chromium")
#: No sandbox (containers run as root), and no calls home while the tests run.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Playwright switches the back-forward cache off; people's browsers (and the kiosk's) have it on.
KEEP_DEFAULTS_OFF = ["--disable-back-forward-cache"]
NO_CHROMIUM = ("Chromium is not installed at /usr/bin/chromium. Install it to run the browser "
               "tests: apt-get install chromium")
NO_PLAYWRIGHT = ("Playwright or axe-playwright-python is not installed. Install them to run the "
                 "browser tests: .venv/bin/pip install -r requirements-dev.txt "
                 "(and apt-get install chromium)")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
#: WCAG 1.4.10: content reflows at 320 CSS pixels, the width of 1280 pixels zoomed to 400%.
NARROW = {"width": 320, "height": 800}
#: WCAG 2.5.5 asks for 44 CSS pixels; kiosk users may have only a thumb.
TOUCH_TARGET_PX = 44
SCREENSHOTS = ROOT / "test-output" / "screenshots"

PASSWORDS = {email: password for email, password, _role in DEMO_LOGINS}
SERIOUS = ("serious", "critical")


def log_in(page, email: str) -> None:
    """Log in through the login page as a person does, with the demo password."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORDS[email])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def serious_violations(axe, page, *, except_rules: tuple[str, ...] = ()) -> list[str]:
    """Run axe-core on the page; return its serious and critical findings, one line each."""
    results = axe.run(page, options={"resultTypes": ["violations"], "rules": {
        rule: {"enabled": False} for rule in except_rules}})
    return [f"{violation['id']} ({violation['impact']}): {', '.join(map(str, node['target']))}"
            f" — {violation['help']} {violation['helpUrl']}"
            for violation in results.response["violations"] if violation["impact"] in SERIOUS
            for node in violation["nodes"]]


def broken_references(page) -> list[str]:
    """Return the ARIA references (aria-describedby and the like) to ids not on the page.

    axe-core only asks for a review of these, but a help text or an error message tied to a
    missing id is never read out with its field.
    """
    return page.evaluate("""() => {
        const names = ["aria-describedby", "aria-labelledby", "aria-controls",
                       "aria-errormessage"];
        return names.flatMap(name => Array.from(document.querySelectorAll(`[${name}]`))
            .flatMap(element => element.getAttribute(name).split(/\\s+/)
                .filter(id => id && !document.getElementById(id))
                .map(id => `${element.tagName.toLowerCase()}#${element.id} ${name}="${id}"`)));
    }""")


def scrolls_sideways(page) -> bool:
    """Return whether the page is wider than the window, so a person must scroll sideways."""
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth")


def focused_element(page) -> dict:
    """Describe the element that has the keyboard focus and how its focus shows."""
    return page.evaluate("""() => {
        const element = document.activeElement;
        const style = getComputedStyle(element);
        return {tag: element.tagName.toLowerCase(), type: element.type || "",
                name: element.name || "", id: element.id || "",
                text: (element.innerText || element.value || "").trim().slice(0, 60),
                outline: style.outlineStyle === "none" ? "none" : style.outlineWidth,
                shadow: style.boxShadow};
    }""")


def shows_focus(focused: dict) -> bool:
    """Return whether a focused element has a visible outline or ring."""
    outline_shows = focused["outline"] not in ("none", "0px")
    return outline_shows or focused["shadow"] not in ("none", "")


def tab_to(page, selector: str, *, limit: int = 60, key: str = "Tab") -> None:
    """Press Tab until the focus is on an element matching `selector`; fail if it never is."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}; focus is on {focused_element(page)}")


def small_targets(page, selector: str) -> list[str]:
    """Return the visible elements matching `selector` that are shorter than a touch target."""
    return page.evaluate("""([selector, minimum]) => Array.from(
        document.querySelectorAll(selector)).filter(element => {
            const box = element.getBoundingClientRect();
            return box.width > 0 && box.height > 0 && box.height < minimum;
        }).map(element => `${element.outerHTML.slice(0, 80)} is ${
            Math.round(element.getBoundingClientRect().height)}px high`)""",
                         [selector, TOUCH_TARGET_PX])


def save_screenshots(page, name: str, sizes: tuple[dict, ...] = (PHONE, DESKTOP)) -> list[Path]:
    """Save the whole page at phone and desktop width (or `sizes`); return the files written."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    files = []
    for size in sizes:
        if page.viewport_size != size:
            page.set_viewport_size(size)
        path = SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"
        page.screenshot(path=path, full_page=True)
        files.append(path)
    return files
