"""No English on any page a demo user reaches (issue 15, item 7).

Logged in as each demo role of one agency (and the province administrator), a crawler follows
the same-site links breadth-first from the home page, up to ``BOUND`` pages per role, and
collects the English words and phrases of the visible text of every HTML page. It never
follows downloads, logout, or links that change something (``@@delete``, workflow
transitions, ``?_authenticator=`` links), and never submits a form.

Plain HTTP (requests + lxml), not a browser: the server renders everything a user reads
(Classic UI), and 8 roles x ``BOUND`` pages through Chromium would take minutes.
"""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from dongthap.qlvb.demo.data import LOGINS
from dongthap.qlvb.demo.data import PROVINCE_ADMIN
from urllib.parse import urldefrag
from urllib.parse import urljoin
from urllib.parse import urlsplit

from tests.browser.conftest import ARTIFACTS

import collections
import os
import pytest
import re
import time

QUICK = 8  # pages per role in the default run (about 40 s in all)
BOUND = int(os.environ.get("QLVB_CRAWL_PAGES", "40"))  # pages per role in the stress session
AGENCY = "stttt"

# English that Plone shows when a translation is missing (words with word boundaries, so that
# Vietnamese text never matches), and the phrases the issue found on the pages.
ENGLISH_WORDS = (
    "Info", "Error", "Warning", "Welcome", "logged", "Search", "results", "Filter", "Sort",
    "RSS", "Keep", "existing", "Replace", "No value", "Management", "selected", "dashboard",
    "Save", "Cancel", "Edit", "Add", "Delete", "Rename", "Contents", "View", "Home", "Log out",
    "Log in", "Preferences", "Select", "Upload", "Next", "Previous", "Show", "Actions", "Title",
    "Description", "Status", "State", "Modified", "Created", "Author", "Settings", "Sharing",
    "Items", "Submit", "Apply", "Close", "Loading", "Today", "Required", "Active", "active",
    "Personal Information", "Powered by", "Plone Foundation", "Trouble logging in", "Agency",
    "Department", "Staff", "Roles", "Site Setup", "Skip to", "Navigation", "More", "Remove",
    "Change", "Choose", "Browse", "Type", "Language", "Date", "Back", "Clear", "Help",
    "Document", "Folder", "Page", "Yes", "No", "None", "all", "of", "by", "the", "and", "or",
    "to", "is", "are", "you", "your", "this", "with", "for", "from", "new", "file", "Untitled",
)
ENGLISH = re.compile(r"(?<![\w/.@-])(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")(?![\w/.@-])")

# Proper nouns and codes that may appear in Latin letters.
ALLOWED = ("PDF", "edXML", "CA", "USB", "QR", "UBND", "HĐND")

# Never followed: downloads, leaving, changing something, Plone's own administration.
SKIP = re.compile(
    r"(logout|@@download|/@@images|@@display-file|\+\+resource\+\+|\+\+plone\+\+|\+\+theme\+\+"
    r"|_authenticator=|workflow_action|content_status_modify|@@delete|delete_confirmation"
    r"|object_cut|object_copy|object_paste|object_delete|@@rename|/@@overview-controlpanel"
    r"|/@@[a-z-]*controlpanel|/prefs_|/portal_|/manage|/aq_parent|/RSS|/rss|/atct_|/@@search-rss"
    r"|/@@historyview|/@@history|/@@diff|/revert|\.(pdf|zip|xml|png|jpe?g|svg|ico|css|js|p7s)$)",
    re.I,
)


def roles():
    users = [f"{AGENCY}.{suffix}" for suffix, _title in LOGINS.values()]
    return [*users, PROVINCE_ADMIN["username"]]


def visible_text(document):
    for bad in document.xpath("//script|//style|//template|//noscript|//svg"):
        bad.drop_tree()
    parts = [document.findtext(".//title") or ""]
    parts.extend(el.get("placeholder") for el in document.xpath("//*[@placeholder]"))
    parts.extend(el.get("value") for el in document.xpath("//input[@type='submit' or @type='button']"))
    body = document.find("body")
    parts.append(body.text_content() if body is not None else "")
    return "\n".join(p for p in parts if p)


def english_in(text):
    """The English found in ``text``, each with the line it stands in."""
    for allowed in ALLOWED:
        text = text.replace(allowed, " ")
    found = set()
    for line in text.splitlines():
        found.update(f"{m.group(0)} «{line.strip()[:80]}»" for m in ENGLISH.finditer(line))
    return found


def crawl(base, username, bound):
    import requests
    from lxml import html

    session = requests.Session()
    session.headers["Accept-Language"] = "vi"
    page = session.get(f"{base}/login", timeout=30)
    form = next(f for f in html.fromstring(page.content).forms if "__ac_name" in f.fields)
    data = dict(form.form_values())
    data.update({"__ac_name": username, "__ac_password": DEMO_PASSWORD})
    for button in form.xpath(".//*[@type='submit']"):
        if button.get("name"):
            data[button.get("name")] = button.get("value") or ""
    answer = session.post(urljoin(page.url, form.action or "login"), data=data, timeout=30)
    assert "__ac" in session.cookies, f"{username} could not log in"
    found = collections.defaultdict(set)
    found_on_login = english_in(visible_text(html.fromstring(answer.content)))
    for word in found_on_login:
        found[word].add(answer.url)
    site = urlsplit(base)
    queue = collections.deque([f"{base}", answer.url])
    seen = set(queue)
    came_from = {}
    visited = 0
    while queue and visited < bound:
        url = queue.popleft()
        response = session.get(url, timeout=30)
        if "text/html" not in response.headers.get("content-type", "") or response.status_code >= 400:
            continue
        visited += 1
        document = html.fromstring(response.content, base_url=response.url)
        links = [urldefrag(urljoin(response.url, a.get("href")))[0]
                 for a in document.xpath("//a[@href]")]
        for word in english_in(visible_text(document)):
            found[word].add(f"{response.url} (from {came_from.get(url, '-')})")
        for link in links:
            parts = urlsplit(link)
            elsewhere = (parts.scheme, parts.netloc) != (site.scheme, site.netloc)
            if elsewhere or not parts.path.startswith(site.path):
                continue
            if link in seen or SKIP.search(link):
                continue
            seen.add(link)
            came_from[link] = response.url
            queue.append(link)
    return visited, found


def check_reachable_pages(base, bound):
    """Crawl as every role; the time taken goes to the report file, never into an assertion."""
    started = time.monotonic()
    report = {}
    counts = {}
    for username in roles():
        visited, found = crawl(base, username, bound)
        counts[username] = visited
        if found:
            report[username] = {word: sorted(urls)[:3] for word, urls in sorted(found.items())}
    elapsed = time.monotonic() - started
    os.makedirs(ARTIFACTS, exist_ok=True)
    with open(os.path.join(ARTIFACTS, f"english-crawl-{bound}.txt"), "w") as out:
        out.write(f"{bound} pages per role at most, {elapsed:.1f} s, pages per role: {counts}\n")
        for user, words in report.items():
            out.write(f"{user}:\n" + "".join(f"  {w}: {u}\n" for w, u in words.items()))
    assert all(count >= 3 for count in counts.values()), counts
    assert report == {}, "\n".join(f"{user}: {words}" for user, words in report.items())


def test_no_english_on_the_first_pages_of_each_role(demo_server):
    """The default run: the first pages each role reaches (home, desk, lists, a document…)."""
    check_reachable_pages(demo_server["url"], QUICK)


@pytest.mark.stress
def test_no_english_on_any_reachable_page(demo_server):
    """The stress session: up to ``BOUND`` pages per role."""
    check_reachable_pages(demo_server["url"], BOUND)


@pytest.mark.parametrize("text", ["Lưu", "Văn bản đến: 12 văn bản", "Tệp PDF", "UBND tỉnh"])
def test_vietnamese_text_is_no_english(text):
    assert english_in(text) == set()


@pytest.mark.parametrize(
    "text", ["Search results for", "Keep existing file", "0 of 5 selected", "Info: Saved"]
)
def test_english_text_is_found(text):
    assert english_in(text)
