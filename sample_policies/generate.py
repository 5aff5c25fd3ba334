"""Write ketcover's fictional sample policy PDFs (Example Health Plan) into this folder, deterministically.

The words are in content/ (YAML); the layout of each document is in sbc.py, eoc.py, medical_policy.py and
denial_letter.py, sharing layout.py. See README.md.
"""
import denial_letter
import eoc
import medical_policy
import sbc


def main():
    for document in (sbc, eoc, medical_policy, denial_letter):
        path = document.build()
        print(f"wrote {path.name} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
