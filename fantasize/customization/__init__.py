"""Customization: typed options (button, text, image), presets, validated selections and previews."""
