"""`python -m bench.pdf_libraries`: measure the PDF libraries and print the tables."""

from bench.pdf_libraries import run

if __name__ == "__main__":
    run()
