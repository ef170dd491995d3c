"""Storefront pages.

``browse``: home, categories, search and pictures; ``items``: product and package pages with
reviews, favourites and the customization preview.
"""
