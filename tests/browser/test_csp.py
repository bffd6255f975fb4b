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
    login(page, url, "stttt.quantri", DEMO_PASSWORD)
    for path in ("/so-tttt", "/so-tttt/@@can-bo", "/so-tttt/van-ban-den", "/so-tttt/edit",
                 "/so-tttt/folder_contents"):
        response = page.goto(url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    screenshot(page, "csp-staff")
    assert problems == [] and violations == [], problems + violations
