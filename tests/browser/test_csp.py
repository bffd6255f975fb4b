"""The Content-Security-Policy sent with every page leaves the Classic UI working (issue 11, item 8)."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from tests.browser.conftest import login
from tests.browser.conftest import screenshot


def test_pages_load_under_the_policy_without_violations(page, demo_server):
    url = demo_server["url"]
    problems = []
    page.on("console", lambda msg: problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    violations = []
    page.expose_function("qlvbCspViolation", lambda text: violations.append(text))
    page.add_init_script("""document.addEventListener('securitypolicyviolation',
        e => window.qlvbCspViolation(e.violatedDirective + ' ' + e.blockedURI));""")
    first = page.goto(url)
    assert "default-src 'self'" in first.headers.get("content-security-policy", "")
    # Each page as a role that may open it (a refused page is a 403 now, not a login form's 200).
    for user, paths in (("stttt.quantri", ("/so-tttt", "/so-tttt/@@can-bo", "/so-tttt/edit",
                                           "/so-tttt/folder_contents")),
                        ("stttt.vanthu", ("/so-tttt/van-ban-den", "/so-tttt/van-ban-di"))):
        page.goto(url + "/logout")
        login(page, url, user, DEMO_PASSWORD)
        for path in paths:
            response = page.goto(url + path)
            assert response.status == 200, path
            assert "login" not in page.url and page.locator("#__ac_password").count() == 0, path
            page.wait_for_load_state("networkidle")
    screenshot(page, "csp-staff")
    assert problems == [] and violations == [], problems + violations
