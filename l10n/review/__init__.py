"""``l10n review``: the translated article in context, for reviewers.

``model``: the views (frozen records); ``static``: the read-only HTML export
(``l10n review --static``); ``server`` (the web application) builds on
``l10n.pipeline.reviewing``, which makes the views and saves entries.
"""
