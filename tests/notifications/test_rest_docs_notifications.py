"""``@notifications`` through real HTTP, with examples written to docs/rest/ like the other services."""

from tests.incoming.helpers import payload
from tests.test_rest_docs import Recorder
from tests.test_rest_docs import TITLES

TITLES.update({
    "notifications_list": "My notifications, newest first (`?unread=1`, `b_start`, `b_size`): "
                          "`GET @notifications`",
    "notifications_mark_read": "Mark notifications read (`{\"ids\": [...]}` or `{\"all\": true}`): "
                               "`POST @notifications`",
    "notifications_preferences": "My preferences and the kinds of notification: "
                                 "`GET @notifications/preferences`",
    "notifications_set_preferences": "Change them (e-mail, daily digest, kinds left out): "
                                     "`POST @notifications/preferences`",
    "notifications_bad_input": "Bad input: a translated 400, nothing changed",
})


def test_notifications_through_rest(demo_server):
    rec = Recorder(demo_server["url"])
    from tests.outgoing.helpers import session

    created = session("mytho.vanthu").post(f"{demo_server['url']}/xa-my-tho/@incoming",
                                           json=payload(register=True))
    assert created.status_code == 201, created.text
    r = rec.call("notifications_list", "mytho.lanhdao", "GET", "@notifications?unread=1")
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["kind"] for i in items] == ["to_assign"] and r.json()["unread"] == 1
    assert items[0]["text"] and items[0]["title"] == payload()["title"]
    r = rec.call("notifications_mark_read", "mytho.lanhdao", "POST", "@notifications",
                 {"ids": [items[0]["id"]]})
    assert r.status_code == 200 and r.json() == {"marked": 1, "unread": 0}
    r = rec.call("notifications_bad_input", "mytho.lanhdao", "POST", "@notifications", {"ids": "x"})
    assert r.status_code == 400 and r.json()["error"]["message"]
    r = rec.call("notifications_preferences", "mytho.lanhdao", "GET", "@notifications/preferences")
    assert r.status_code == 200 and {"email", "digest", "off", "kinds"} <= set(r.json())
    r = rec.call("notifications_set_preferences", "mytho.lanhdao", "POST", "@notifications/preferences",
                 {"digest": True, "off": ["issued"]})
    assert r.status_code == 200 and r.json()["digest"] is True and r.json()["off"] == ["issued"]
