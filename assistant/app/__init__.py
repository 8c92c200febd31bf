"""The parts of the Streamlit app (`streamlit_app.py` is the page): the sidebar and the folder
sync that runs beside it. Nothing outside the app imports these."""
