"""Account pages.

``auth``: sign-in, registration and passwords; ``my_account``: the signed-in user's own pages;
``oauth``: the OAuth redirect flow.
"""
