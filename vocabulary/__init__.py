"""The concept lexicon: everyday phrasing mapped to concepts, concepts to categories
and to the words listings use. Council staff edit it in the admin (Snippets >
Concepts); search (``search/backends/lexicon.py``) and the recommender
(``recommender/needs.py``) both read it.
"""
