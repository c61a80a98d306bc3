"""Keeping listings true after they are published: residents' problem reports, the
moderators' queue for them, and the branded emails that tell editors and moderators.

A feature-layer app: it imports the domain (``directory``) and the role checks
(``cms.workflows.roles``), and nothing imports it but the project shell.
"""
