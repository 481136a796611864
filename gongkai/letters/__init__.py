"""Official letters (公文-style notices) of a disclosure office: one content object, many formats.

``content.Letter`` holds what a letter says; ``render.RENDERERS`` turns it into DOCX, PDF or
HTML; ``wording`` holds the editable template text and the placeholder sandbox that fills it.
Plain Python: no models, no settings, no clock.
"""
