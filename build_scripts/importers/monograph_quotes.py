"""Getty monograph: block quotations (paragraphs quoted from a source and set off from the text).

The transcription does not mark them: a block quotation is a paragraph of its own, without
quotation marks, in the voice of the source (Stalin's "comrades", a resolution's "the Conference
notes"), usually after an introduction ending "said:", "said," or "warned that". The editors read
the transcription and list each one below by its opening words and the number of paragraphs it
runs to; the importer wraps them in <quote>. A paragraph that an introduction leads into but that
is not listed is reported, so that a new block quotation is not missed silently.
"""
from __future__ import annotations

from build_scripts.importers.monograph_parse import Break, Division, Para
from build_scripts.importers.monograph_text import bare_end, introduces_quotation, quotation_after_that

# (opening words of the first paragraph, paragraphs, evidence), in the order of the book
BLOCK_QUOTES: list[tuple[str, int, str]] = [
    ("You can strike me if you like", 1, 'after "begged his superintendent:"'),
    ("This is a construction, not a stunt", 1, 'after "told him,"'),
    ("From: _____ Raion, Western Oblast'", 1, 'a form, after "preprinted forms like the following:"'),
    ("It is necessary to say that in the apparatus of the Central Committee", 2, 'after "As the Secretariat noted:"; the signatures and date follow'),
    ("The City Committee and the party activists must conduct themselves", 1, 'after "warned that"'),
    ("The development of Bolshevik self-criticism met with opposition", 1, "after \"criticism:\""),
    ("to note that the party committee and aktiv of Factory No. 35", 1, 'the city committee\'s resolution after "the city committee resolved", "[must]" inserted; set as a page break, p. 74 would hold 352 characters and Zhil\'tsov, indexed at 72, 73 and 74, would miss p. 74'),
    ("If, in the *proverka*, party organizations paid special attention", 1, 'after "the Central Committee said:"'),
    ("Comrades, it cannot be denied that in the last few years", 1, "Stalin's speech in the first person, no quotation marks"),
    ("The slogan \"cadres decide everything\" demands", 1, 'after "Stalin said,"'),
    ("People have learned to value machinery", 1, 'after "Stalin observed,"'),
    ("False self-esteem, famous conceit", 1, "after \"the discussion:\""),
    ("Can it be doubted that leaders who scorn this experience", 1, 'after "he asked:"'),
    ("We must firmly carry out the principle of one-man management", 1, "Molotov's speech in the first person, no quotation marks"),
    ("Capitalist encirclement? Oh that's nothing!", 1, 'after "Stalin said,"'),
    ("Is it that our party comrades have become worse", 4, "Stalin's speech in the first person, no quotation marks"),
    ("I think that if we are able, if we succeed", 1, 'after "Stalin said,"'),
    ("Party practice must become consistently democratic", 1, "Zhdanov's report, no quotation marks, note 13"),
    ("You must not jump from one extreme to another", 1, 'after "economic work":'),
    ("But here is the question – how to carry out in practice", 3, 'after "he reflected:"'),
    ("Most frequently, so-called acquaintances are chosen", 3, "Stalin's speech, no quotation marks"),
    ("There is still another kind of verification, the check-up from below", 1, "Stalin's speech, no quotation marks"),
    ("Some comrades say that it is not advisable to speak openly", 2, "Stalin's speech in the first person, no quotation marks"),
    ("We leaders must not become conceited", 1, "Stalin's speech in the first person, no quotation marks"),
    ("As you see, simple people sometimes prove", 1, "Stalin's speech, no quotation marks"),
    ("The fact is that some of our party leaders suffer from lack of attention", 2, "Stalin's speech, no quotation marks"),
    ("It is necessary to put an end to the present blockheaded interpretation", 5, "Stalin's speech, no quotation marks, note 19 at its end"),
    ("At the meetings of the activists and general meetings", 1, 'after "Iaroslavskii said,"'),
    ("The work of the party committee has been unsatisfactory", 1, 'after "Zadvorianskii said … OSPS,"'),
    ("However, the party conference notes that in the practical leadership", 1, "after \"of the *Obkom*:\""),
    ("The direct, living connection between the *Obkom*", 2, "the resolution's text, no quotation marks"),
    ("We endeavored to expel as many people from the party as possible", 1, 'after "(who was himself arrested) said,"'),
    ("Further, Comrade Ezhov, discussing the history", 1, 'after "a unique editorial cut:"'),
    ("In the world, there is not one state where the organs of state security", 2, "after \"Ezhov's statement:\""),
    ("It cannot be said that the cleanings were not accompanied", 1, 'after "Stalin said,"'),
    ("The objectionable feature of the mass purges", 2, 'after "Zhdanov said:"'),
    ("The book abounds in a mass of factual improbabilities", 1, "after \"Childhood*:\""),
]


def mark(division: Division, counter: list[int], found: set[str]) -> list[tuple[int, str, str]]:
    """Set Para.quote on the paragraphs of the listed block quotations of one division;
    `counter` numbers the quotations through the book, `found` collects the openings met.
    Returns warnings (line, message, hint)."""
    warnings: list[tuple[int, str, str]] = []
    paras = [(k, u) for k, u in enumerate(division.units) if isinstance(u, Para)]
    for opening, count, _ in BLOCK_QUOTES:
        starts = [i for i, (_, p) in enumerate(paras) if p.segs and p.segs[0].text.startswith(opening)]
        if len(starts) != 1:
            continue
        counter[0] += 1
        found.add(opening)
        for _, para in paras[starts[0] : starts[0] + count]:
            para.quote = counter[0]
    previous = None
    for unit in division.units:
        if isinstance(unit, Break):
            continue
        if isinstance(unit, Para) and unit.kind == "p" and unit.quote is None and isinstance(previous, Para) and previous.segs:
            before, text = previous.segs[-1].text, unit.segs[0].text
            introduced = bare_end(before).rstrip().endswith(":") or introduces_quotation(before, text) or quotation_after_that(before, text)
            if introduced and previous.quote is None and text[:1].isupper():
                warnings.append((unit.segs[0].line, f'this paragraph follows an introduction ("…{bare_end(before)[-40:]}") as a block quotation would, but is not in the list of block quotations', "If it is a quotation set off from the text, add its opening words to BLOCK_QUOTES in build_scripts/importers/monograph_quotes.py"))
        previous = unit
    return warnings


def openings() -> tuple[str, ...]:
    """The openings: a block that starts with one is a paragraph of its own, never the rest of the
    paragraph before it carried over a page break."""
    return tuple(opening for opening, _, _ in BLOCK_QUOTES)


def unmatched(found: set[str]) -> list[str]:
    """Openings of the list that no division had exactly once."""
    return [opening for opening, _, _ in BLOCK_QUOTES if opening not in found]
