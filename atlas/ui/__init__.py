"""The Streamlit glue: the only code besides app.py and pages/ that imports Streamlit (see
tests/test_conventions.py). One topic a module: state (the view and the URL), chrome (what every
page shares), style (CSS and scripts, text in assets/), user_data (what a session imported),
story_play, downloads, resources (data shared by sessions), and one module per page part.
"""
