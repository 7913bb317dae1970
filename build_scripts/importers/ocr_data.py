"""What reading the Khlevnyuk transcription (witness K, style ocr) established, as data.

sources/002_3ea385306a37ecdb.txt was read in full: these tables hold the OCR misreadings that are
certain, the readings left as printed, the block quotations, the places of lost markers and the
citations of the notes. build_scripts/importers/ocr.py applies them; a table entry that no longer
matches the transcription is reported as a warning, never applied silently.
"""
from __future__ import annotations

SERIES = {"intro": "K.intro", "art": "K.art"}  # note series = the two divisions that print notes

SERIES_LABEL = {"intro": "Editor's introduction", "art": "Article"}

BIBKEY_SELF = "khlevniuk1995objectives"  # references.bib key of the first publication (witnesses.yml)

# Works cited in notes and in the reading list that references.bib holds: (words of the title, key).
# Getty's Origins is witness G of the edition; no page is cited, so no ref to a page of getty.xml.
BIB_KEYS = [
    ("Origins of the Great Purges", "getty1985origins"),
    ("The Permanent Purge", "brzezinski1956permanent"),
    ("The Great Terror: A Reassessment", "conquest1990great"),
    ("Let History Judge", "medvedev1971let"),
    ("Stalinist Simplifications", "rittersporn1991stalinist"),
    ("The Omnipresent Conspiracy", "rittersporn1991omnipresent"),
    ("Stalinist Terror: New Perspectives", "getty1993stalinist"),
    ("The Road to Terror", "getty1999road"),
    ("Stalin: A Political Biography", "deutscher1949stalin"),
    ("Why Lenin? Why Stalin?", "vonlaue1993why"),
    ("Mission to Moscow", "davies1941mission"),
    ("The Revolution Betra", "trotsky1937revolution"),  # printed "Betraued" (OCR)
    ("Sto sorok besed", "chuev1991sto"),
]

# Whole words misread by the OCR: (misreading, reading, kind). Certain from the same word printed
# correctly elsewhere in the text or from the standard transliteration used throughout.
WORD_FIXES = [
    ("Trotskvist", "Trotskyist", "y read as v"),
    ("Trotskvists", "Trotskyists", "y read as v"),
    ("Izvestiva", "Izvestiya", "y read as v"),
    ("Krasnovarsk", "Krasnoyarsk", "y read as v"),
    ("Shirvaevskii", "Shiryaevskii", "y read as v"),
    ("sprayka", "spravka", "v read as y"),
    ("sprayki", "spravki", "v read as y"),
    ("Soynarkom", "Sovnarkom", "v read as y"),
    ("Politbuuro", "Politbyuro", "y read as u"),
    ("Molotovum", "Molotovym", "y read as u"),
    ("pamuati", "pamyati", "y read as u"),
    ("Betraued", "Betrayed", "y read as u"),
    ("Polithuro", "Politburo", "b read as h"),
    ("dokumentatsli", "dokumentatsii", "i read as l"),
    ("RTsKhiDNI", "RTsKhIDNI", "I read as i"),
    ("GARE", "GARF", "F read as E"),
    ("NOO447", "N00447", "zero read as the letter O"),
    ("Inc", "Jr", "\"Jr.\" read as \"Inc.\" (P. H. Solomon Jr.)"),
]

WORD_FIX_CONTEXT = {"Inc": "Solomon "}  # fixes applied only after this text

# Punctuation misread by the OCR: (before, misreading, reading, after). Certain from the sentence:
# a full stop before a lower-case continuation, a comma before a new sentence, "(Place. Year)".
PUNCT_FIXES = [
    ("on the terror", ".", ",", " and he personally"),
    ("targeted by the terror", ".", ",", " he concludes"),
    ("were shot", ",", ".", " In the country"),
    ("'anti-Soviet elements'", ".", ",", " and 'offenders'"),
    ("In the krai", ".", ",", " Eikhe continued"),
    ("from the localities", ".", ",", " and on this basis"),
    ("deputy in the NKVD", ".", ",", " M. P. Frinovskii"),
    ("repressing former kulaks", ".", ",", " criminals and other"),
    ("repressions: kulaks", ".", ",", " those released"),
    ("parties (SRs", ".", ",", " Georgian"),
    ("Dashnaks etc.)", ".", ",", " former White"),
    ("Germans, Estonians", ".", ",", " Finns"),
    ("Estonians. Finns", ".", ",", " Greeks"),
    ("Finns. Greeks", ".", ",", " Iranians"),
    ("Greeks. Iranians", ".", ",", " Harbintsy"),
    ("Chinese and Romanians'", ",", ".", " Furthermore"),
    ("Bulgarians and Macedonians", ".", ",", " both those"),
    ("duration of the operation", ",", ".", " From 1 February"),
    ("about 30 trials", ".", ",", " of which"),
    ("cover all the actions", ".", ",", " that comprised"),
    ("USSR's Supreme Court", ".", ",", " the military"),
    ("judging by all the evidence", ".", ",", " Stalin adopted"),
    ("their own directives", ".", ",", " untying"),
    ("in the village soviets", ".", ",", " kolkhozy"),
    ("judged in 1934-1937'", ".", ",", " which recognised"),
    ("level of coercion higher", ".", ",", " since so to speak"),
    ("(Khabarovsk", ".", ",", " 1991)"),
    ("(Novosibirsk", ".", ",", " 1991)"),
    ("Istoricheskii arkhiv", ".", ",", " 1992"),
    ("21 June 1992", ".", ",", " pp. 18-19"),
]

PUNCT_KIND = {(".", ","): "comma read as full stop", (",", "."): "full stop read as comma"}

# Readings left as printed though they may be OCR errors: not certain enough to correct.
DOUBTFUL = {
    "obizhennui": "perhaps obizhennyi (y read as u) or obizhennye",
    "peregib": "perhaps peregiby, with the last letter lost",
}

# Block quotations: (opening words of the first block, opening words of the last block).
QUOTES = [
    ("It should be noted in particular", "It should be noted in particular"),
    ("It is noted that the majority", "It is noted that the majority"),
    ("Comrade Stalin.", "Ezhov."),
    ("on the adoption by the courts", "on the adoption by the courts"),
    ("People suffered so much", "People suffered so much"),
    ("1937 was necessary.", "Stalin, in my opinion"),
]

# Notes whose marker the OCR lost entirely: the words after which the editors place each, at the end
# of the sentence that the note documents (the closed letter, the decree, the spravki).
INFERRED_MARKERS = {
    ("intro", 1): "ceased after Stalin's death.",
    ("art", 3): "many former oppositionists were repressed.",
    ("art", 4): "total destruction of former oppositionists.",
    ("art", 5): "were soon to be repressed.",
}

# Citations in notes that are more than one bibl, or bibl within prose: (first words, last words).
BIBL_SPANS = {
    ("intro", 1): [("Zbigniew", "1956)"), ("Robert Conquest", "1990)")],
    ("intro", 4): [("Theodore von Laue", "1993)"), ("von Laue, \"Stalin", "(1983)")],
    ("art", 14): [("Protokoly", "papka"), ("Moskovskie", "pp. 18-19")],
    ("art", 15): [("Protokoly", "papka"), ("A. Suturin", "195-213")],
    ("art", 17): [("Protokoly", "papka")],
    ("art", 18): [("RTsKhIDNI", "994, 56"), ("GARF", "53, 27")],
    ("art", 22): [("Protokoly", "papka")],
    ("art", 27): [("XXII", "p. 152")],
    ("art", 32): [("RTsKhIDNI", "174")],
    ("art", 35): [("GARF", "60, 1")],
    ("art", 47): [("L. D. Trotsky", "p. 229"), ("The Fourth International and War", "and War")],
    ("art", 49): [("Istochnik", "p. 18")],
    ("art", 51): [("Sto sorok", "416"), ("the memoirs of G. Dimitrov", "pp. 18-20")],
}

NORMALISATION = [
    "Page breaks are recorded as pb without a number where a page foot (footnotes, the copyright "
    "stamp) interrupts the text: the transcription prints no page numbers and the anthology is not "
    "identified, so none are inferred.",
    "Paragraphs that the transcription splits with no page foot between them are rejoined without a "
    "pb: the footnotes show that no page ends there (notes whose markers stand before the split are "
    "printed after it).",
    "The copyright stamp of the photocopy (NOTICE / This material may be protected by Copyright Law) "
    "and the heading of the anthology's next part after the reading list are removed and listed below.",
    "The leading \"- \" of list lines is the transcription's list syntax and is not kept; the "
    "asterisks around *osobye papki* are encoded as italics.",
    "Footnotes are moved to their markers. Markers printed as plain digits (the OCR lost the "
    "superscript) are read as markers where a footnote of that number is printed at the same page foot.",
]
