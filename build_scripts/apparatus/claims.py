"""Curated claims (editors' data) → claim loci resolved to passage ids of the TEI.

Each claim names the question, and for each witness the words it prints, exactly; `seed` finds the
one passage holding those words and stores its id, so that tei/apparatus.xml carries pointers an
editor can follow and `check` can verify. Once in tei/apparatus.xml a claim is edited there; this
list only seeds claims that the file does not have yet.
"""
from __future__ import annotations

from build_scripts.apparatus.align import tokens
from build_scripts.apparatus.model import Locus, Passage, Reading
from build_scripts.problems import Location, Problem

R = tuple[str, str]  # (siglum, words as printed)

CLAIMS: list[tuple[str, str, list[R], str]] = [
    ("expulsions-1937", "How many members were expelled from the party in 1937?",
     [("G", "1937 100,000 5"), ("S", "1937 100,000 5.0"), ("K", "in 1937 more than 117,000")],
     "G (Table 7.1) gives 100,000, 5 percent of the party; S reproduces the figures in its Table 6 (5.0 per cent); K, citing a party archive file (RTsKhIDNI 17/117/873), gives more than 117,000."),
    ("expulsions-1938", "How many members were expelled from the party in 1938?",
     [("G", "1938 70,000 2"), ("S", "1938 70,000 2.0"), ("K", "in 1938 more than 90,000")],
     "G (Table 7.1) and S (Table 6) give 70,000 (2 percent); K gives more than 90,000."),
    ("expulsions-1936", "How many members were expelled from the party in 1936?",
     [("S", "There are no national statistics for 1936"), ("K", "For 1936 alone 134,000 people were expelled from the party")],
     "S states that no national statistics exist for 1936 (G's Table 7.1 leaves the year blank); K gives 134,000."),
    ("expulsions-1937-scale", "Was 1937 a year of few or of many expulsions from the party?",
     [("G", "The total number of persons expelled from the party in 1937 was smaller than the number expelled nationally"), ("S", "1937 was one of the years in which the lowest numbers of people were expelled"), ("E", "The purge meant that 43.6 per cent of communists had been expelled from the Party")],
     "G and S describe 1937 as a year of comparatively few expulsions; E gives 43.6 per cent of communists expelled over 1934–1939."),
    ("arrests-executions-1937-38", "How many people were arrested and executed in 1937–1938?",
     [("E", "altogether 1,372,392 people were arrested and 681,692 executed"), ("K", "millions of innocent people, including many high ranking Communist Party members, were imprisoned or shot")],
     "E gives 1,372,392 arrests and 681,692 executions; the editor's introduction to K speaks of millions imprisoned or shot; K's article itself gives no total."),
    ("order-00447-quotas", "What numbers did NKVD Order No. 00447 set?",
     [("K", "A total of 259.450 individuals were to be arrested, of these 72.950 were to be shot"), ("M", "condemning to death 75,950 individuals"), ("E", "the number of nameless victims reached a QUARTER OF A MILLION PEOPLE")],
     "K gives 259,450 arrests of which 72,950 executions (printed with full stops as separators); M gives 75,950 executions; E quotes Zhukov on the regional secretaries' requests, a quarter of a million people."),
    ("order-00447-date", "When was NKVD Order No. 00447 issued?",
     [("K", "On 30 July Ezhov's deputy in the NKVD"), ("E", "NKVD Operational Order No. 00447, July 30, 1938")],
     "K dates the order's submission to the Politburo 30 July (1937) and its approval 31 July; E's endnote 71 dates it July 30, 1938."),
    ("order-00447-signatory", "Who signed or submitted the operational order of July 1937?",
     [("M", "Yezhov then signed the execution orders"), ("K", "M. P. Frinovskii, who had been assigned responsibility for implementing this action, sent to the Politburo for its approval"), ("E", "he signed a secret decree")],
     "M and E name Yezhov as signatory; K names Ezhov's deputy Frinovskii as the official who sent the order to the Politburo for approval."),
    ("operation-start", "When did the mass operation against 'anti-Soviet elements' begin?",
     [("K", "The order fixed the beginning of the operation, depending on region, from 5-15 August"), ("E", "on August 5, 1937")],
     "K gives a start between 5 and 15 August depending on region; E gives August 5, 1937."),
    ("troika-composition", "Who sat on the troiki?",
     [("M", "a troika including the Party Secretary, the President of the local Soviet and the Chief of the NKVD"), ("K", "the secretary of the corresponding party organisation and the procurator of the republic, krai or oblast"), ("E", "composed of the NKVD chief of Western Siberia, the attorney of Western Siberia and himself, Eikhe")],
     "M names the party secretary, the chairman of the local soviet and the NKVD chief; K and E name the NKVD chief, the party secretary and the procurator (attorney)."),
    ("troika-origin", "Where did the troiki and the mass operation originate?",
     [("K", "The new stage in the purge was heralded by the decision of the Politburo of 28 June 1937"), ("E", "Eikhe submitted a written proposal to permit the Western Siberian authorities to organise an emergency committee"), ("M", "The purge started with a cadre decision, signed on July 2, 1937 by Stalin and Molotov.")],
     "K starts from a Politburo decision of 28 June 1937; E from a written proposal of the West Siberian secretary Eikhe; M from a decision of 2 July 1937 signed by Stalin and Molotov."),
    ("quota-changes", "Did the centre raise or lower the regional quotas?",
     [("K", "sanctioned increasing the quotas for various regions for the first category by almost 22,500"), ("E", "the quotas demanded by some secretaries were lowered by a factor of 7"), ("M", "were already introducing demands to increase the quota")],
     "K states that the Politburo raised the quotas; E, citing Naumov, that the centre lowered the secretaries' demands; M that regional leaders and envoys demanded increases."),
    ("organiser", "Who organised the terror?",
     [("K", "The mass repression of 1937-8 was unquestionably an action directed from the centre"), ("G", "there seems to have been little detailed planning or coordination and a good deal of spontaneous violence"), ("E", "the leaders of the provinces and republics were afraid that they would lose the first general, direct, equal and secret elections"), ("M", "There was a revolutionary purge from below and from above.")],
     "K holds that the centre planned and directed it; G stresses confusion, lack of planning and conflict between centre and periphery; E attributes the drive to regional party secretaries; M speaks of a purge from below and from above."),
    ("regional-secretaries", "What part did the regional party secretaries play?",
     [("E", "by July 11, 43 out of the 71 first secretaries of the provinces and republics of the USSR had submitted proposals"), ("K", "the Central Committee received from local leaders requests to increase the quotas for repression"), ("G", "Secretaries defended themselves and proved their vigilance by expelling and denouncing batches of rank-and-file members"), ("M", "Regional Party Secretaries tried to show their vigilance by denouncing and expelling a large number of lower cadres and ordinary members.")],
     "E makes the first secretaries the initiators of the troiki and quotas; K reports their requests for higher quotas within a centrally directed operation; G and M describe secretaries expelling rank-and-file members to prove their vigilance."),
    ("stalin-role", "What was Stalin's own part?",
     [("K", "judging from the existing documents, was Stalin"), ("E", "Stalin also yielded too quickly to the demands by Central Committee members for quotas of arrests and executions"), ("G", "Perhaps he chose to disassociate himself from the nefarious activities of the NKVD")],
     "K names Stalin as the true author of the directives; E says he yielded to Central Committee members' demands; G discusses his distance from the NKVD and leaves his intentions open."),
    ("motive", "What was the purpose of the mass repression?",
     [("K", "the main aim of the mass repression of 1937-8 was the removal of all strata of the population"), ("M", "By exterminating the Fifth Column, Stalin thought about saving several million Soviet lives"), ("E", "the leaders of the provinces and republics were afraid that they would lose")],
     "K: removing strata seen as hostile, a potential fifth column; M: eliminating a fifth column before war; E: regional leaders' fear of contested elections."),
    ("tukhachevsky-real", "Was there a Tukhachevsky conspiracy?",
     [("M", "The actual purge was decided upon after the revelation of the Tukhachevsky military conspiracy"), ("G", "With no creditable sources and so many contradictory rumors, the entire affair must remain mysterious"), ("K", "in the army cases were fabricated against a number of senior military officers"), ("E", "presented evidence which proved beyond doubt"), ("S", "The conspiracy of the Generals was the military part of the struggle of the opposition against the Soviet government")],
     "M, S and E treat the conspiracy as real; G leaves the affair open for want of sources; K speaks of cases fabricated against senior officers."),
    ("tukhachevsky-demotion", "When was Tukhachevsky removed as deputy commissar of defence?",
     [("S", "On 11th May 1937, Marshal Tukhachevskii was demoted"), ("G", "On May 11, the press announced that he had been removed from his post as deputy commissar of defense"), ("E", "On May 10, it was announced that Tukhachevsky had been relieved of his duties")],
     "G and S give 11 May 1937; E gives 10 May."),
    ("generals-arrest", "When were the generals arrested and tried?",
     [("S", "These generals had been arrested on 26th May, 1937"), ("G", "announced the arrest and trial of Marshal Tukhachevskii and the leading generals"), ("E", "were brought before a court martial and after a brief trial were sentenced to death")],
     "S dates the arrests 26 May 1937; G reports the announcement of 11 June 1937 (arrest and trial); E dates the court martial 11 June."),
    ("coup-date", "When was the alleged military coup to take place?",
     [("S", "It was to take place within six weeks, or by March 15th at the latest."), ("E", "postponed the coup by three weeks")],
     "S (deciding 'towards the end of March 1937') gives 'by March 15th at the latest'; E, quoting Carell, speaks of a coup postponed by three weeks before the May coronation."),
    ("yezhov-appointed", "When did Ezhov become head of the NKVD?",
     [("K", "On 26 September on Stalin's insistence the Politburo removed G. G. Yagoda"), ("E", "Nikolai Yezhov, head of the NKVD from January 1937 onwards"), ("E", "In September 1936, Yagoda was relieved of his post as head of the NKVD")],
     "K dates the appointment 26 September 1936; E says September 1936 in one place and 'from January 1937 onwards' in another."),
    ("yezhov-dismissed", "When was Ezhov removed from the NKVD?",
     [("K", "On 24 November Ezhov was released from his post as narkom of the NKVD"), ("E", "On December 9, 1938, Yezhov was dismissed as head of the NKVD")],
     "K gives 24 November (1938); E gives December 9, 1938."),
    ("yezhov-politburo", "What was Ezhov's rank in the Politburo?",
     [("G", "In October, Ezhov became a candidate member of the Politburo"), ("K", "became only a candidate member of the Politburo several months later"), ("E", "though Yezhov was just an alternate Politburo member")],
     "All three make him a candidate (alternate) member; G dates it October 1937, K 'several months' after April 1937."),
    ("resolution-1938-date", "When was the January 1938 resolution on expulsions adopted or published?",
     [("M", "(18 January 1938)"), ("K", "On 19 January the press published the resolution of the Central Committee")],
     "M (after McNeal) dates the resolution 18 January 1938; K gives its publication in the press on 19 January."),
    ("resolution-1938-effect", "What did the January 1938 resolution change?",
     [("K", "the resolution of the January plenum of 1938 remained no more than a political declaration"), ("E", "This meant that the tide of repression was now being turned"), ("M", "with great foresight, Stalin had already denounced these problems")],
     "K calls it no more than a political declaration; E a turning of the tide; M evidence of Stalin's foresight."),
    ("kolomna", "How many communists and former communists did Stalin cite for the Kolomna works?",
     [("K", "compared to 1.408 communists there were 2,000 former party members"), ("E", "there were 1,400 communists at the time and 2,000 former communists")],
     "K (from Malenkov's spravka) gives 1,408 communists (printed 1.408) and 2,000 former members; E (from Stalin's speech) 1,400 and 2,000."),
    ("party-size", "How large was the party before and after the purges?",
     [("E", "The reduction of the Party ranks from 2,800,000 to 1,588,852 over the period 1934-39"), ("G", "about 1,826,000 and 1,514,000 full members, respectively")],
     "E gives 2,800,000 (1934) and 1,588,852 (1939); G computes with about 1,826,000 and 1,514,000 full members at the two congresses."),
    ("rumiantsev", "Why was Rumiantsev removed?",
     [("M", "He was expelled from above, for having been linked to a military plot, as a collaborator of Uborevich."), ("G", "was removed \"from above\" for connection with the alleged military plot"), ("S", "Rumiantsev and his group were arrested on charges of corruption and abuse of power")],
     "M and G tie his removal to the military plot (G: 'alleged'); S to charges of corruption and abuse of power."),
    ("leaders-expelled-share", "Were leaders the main targets of the 1937 expulsions?",
     [("G", "Twenty-nine of those expelled (80 percent) were in leading positions"), ("S", "Of all those expelled, around 80 per cent were corrupt Party bigwigs and high level army officers")],
     "G gives 80 percent in leading positions for the Belyi district organisation; S gives around 80 per cent of all those expelled in 1937 as 'corrupt Party bigwigs and high level army officers'."),
    ("nkvd-deputies-december-1937", "How many of Ezhov's deputy commissars left the NKVD at the end of December 1937, and how?",
     [("G", "At the end of December, one of Ezhov's deputy commissars of the NKVD was transferred to a post in the Commissariat of Forests, and another became deputy commissar of communications."), ("G", "In the following weeks, a third deputy commissar of the NKVD was transferred to other work."), ("M", "At the end of December, three Deputy Commissars of the NKVD were fired.")],
     "G reports two deputy commissars transferred to other posts at the end of December 1937 and a third in the following weeks; M, citing G p. 185, reports three deputy commissars fired at the end of December (see the citation locus cit.M.body.p14.492)."),
    ("plenum-february-march-1937", "What was the February–March 1937 plenum of the Central Committee chiefly about?",
     [("K", "The necessity of continuing the struggle with enemies was indicated by the main reports to the plenum from Stalin, Molotov and Ezhov."), ("E", "At the 20th Congress Khrushchev asserted that at this meeting Stalin attempted to build a \"theoretical justification for the mass terror policy.\" Nothing was further from the truth."), ("E", "the main discussion (probably quite heated) seems to have been around Party democracy, introduced in the speech by Andrei Zhdanov"), ("G", "the meeting dealt with the radical campaigns of both Ezhov and Zhdanov"), ("S", "One of the important resolutions passed at the February meeting of the Central Committee was a to hold general Party elections on the basis of secret ballots.")],
     "K stresses the main reports of Stalin, Molotov and Ezhov on continuing the struggle with enemies; E rejects Khrushchev's statement that Stalin sought there a theoretical justification for mass terror and places party democracy (Zhdanov's speech) at the centre; G describes a meeting that dealt with both Ezhov's and Zhdanov's campaigns; S names the resolution on party elections by secret ballot among its important resolutions."),
    ("proverka-1935", "How many were expelled in the 1935 verification (proverka)?",
     [("S", "resulted in the expulsion of 170,000 members out of the 1.8 million investigated, i.e. 9.1 per cent"), ("S", "1935 170,000 9.0"), ("G", "170,000 9")],
     "S gives 9.1 per cent in its text and 9.0 in its Table 6; G's Table 7.1 gives 170,000 and 9 percent."),
]


def squash(text: str) -> str:
    return " ".join(text.split())


def find(words: str, passages: list[Passage]) -> tuple[Passage, int, int] | None:
    """The passage that prints `words`: exactly (spacing aside), else by normalised words."""
    target = squash(words)
    for p in passages:
        at = p.text.find(target)
        if at >= 0:
            return p, at, at + len(target)
    want = [t.norm for t in tokens(target)]
    for p in passages:
        toks = tokens(p.text)
        norms = [t.norm for t in toks]
        for i in range(len(norms) - len(want) + 1):
            if norms[i : i + len(want)] == want:
                return p, toks[i].start, toks[i + len(want) - 1].end
    return None


def seed(passages: list[Passage], where: str = "build_scripts/apparatus/claims.py") -> tuple[list[Locus], list[Problem]]:
    loci, problems = [], []
    for key, question, readings, note in CLAIMS:
        found = []
        for siglum, words in readings:
            pool = [p for p in passages if p.siglum == siglum]
            hit = find(words, pool)
            if hit is None and pool:
                problems.append(Problem(Location(where), f"claim {key}: the words {words!r} were not found in witness {siglum}", "Copy the words exactly from the witness's TEI", "apparatus.claim-not-found", "warning"))
                continue
            if hit is None:
                continue
            p, a, b = hit
            found.append(Reading(siglum, p.file, p.id, p.text[a:b], None, None, ""))
        if len({r.siglum for r in found}) >= 2 or (len(found) >= 2):
            loci.append(Locus(f"claim.{key}", "claim", tuple(found), "#apparatus.editors", None, "confirmed", None, question, (note,)))
    return loci, problems
