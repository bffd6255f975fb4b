"""TEST-ONLY views (``QLVB_TEST_VIEWS=1``), registered only where this package's ZCML is loaded."""

from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.utils.deployment import SETTINGS
from Products.Five.browser import BrowserView
from zExceptions import NotFound


class TestNumberView(BrowserView):
    """TEST ONLY (``QLVB_TEST_VIEWS=1``): take one number of the outgoing register.

    Used by the numbering concurrency test to hammer the very function
    ``issue`` uses (:func:`numbering.take_number`) without the PDF signing
    around it. The number is stored with a token in the same transaction (as
    ``issue`` stores it on the document), so a number returned to the client
    is a committed number. Refuses with 404 unless the environment enables it.
    """

    def __call__(self):
        import json
        import uuid

        if not SETTINGS.value("QLVB_TEST_VIEWS"):
            raise NotFound("test views are disabled")
        from BTrees.OOBTree import OOBTree
        from dongthap.qlvb.numbering import run_in_transaction
        from dongthap.qlvb.outgoing import numbering
        from plone.protect.interfaces import IDisableCSRFProtection
        from zope.interface import alsoProvides

        alsoProvides(self.request, IDisableCSRFProtection)
        agency = self.context
        token = uuid.uuid4().hex
        document_type = self.request.form.get("document_type", "cong_van")

        def work():
            series, year, number = numbering.take_number(agency, document_type)
            taken = getattr(agency, "_qlvb_test_numbers", None)
            if taken is None:
                taken = agency._qlvb_test_numbers = OOBTree()
            key = (series, year, number)
            if key in taken:  # would be a duplicate: make the test fail loudly
                raise AssertionError(f"duplicate number {key}")
            taken[key] = token
            return {"series": series, "year": year, "number": number, "token": token}

        result = run_in_transaction(work, lock_key=outgoing.register_lock_key(agency),
                                    note="qlvb: TEST take outgoing number")
        self.request.response.setHeader("Content-Type", "application/json")
        return json.dumps(result)
