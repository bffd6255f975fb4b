"""The message factory of the ``dongthap.qlvb`` translation domain.

Every string a user sees is wrapped in ``_()`` with an English default and is
translated into Vietnamese in ``locales/vi/LC_MESSAGES/dongthap.qlvb.po``.
This module has no Plone dependency so that the stand-alone libraries
(edXML, signing, antivirus) can use it too.
"""

from zope.i18nmessageid import MessageFactory

_ = MessageFactory("dongthap.qlvb")
