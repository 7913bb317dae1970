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
     [("G", "1937 100,000 5"), ("S", "1937 100,000 5.0"), ("K", "in 1937 more than 117,000"), ("K", "RTsKhIDNI, 17/117/873, 23.")],
     "G (Table 7.1) gives 100,000, 5 percent of the party; S's Table 6, whose figures the editors identify with G's Table 7.1, gives 100,000 and 5.0 per cent; K gives more than 117,000, citing a party archive file (its note 38: RTsKhIDNI, 17/117/873, 23)."),
    ("expulsions-1938", "How many members were expelled from the party in 1938?",
     [("G", "1938 70,000 2"), ("S", "1938 70,000 2.0"), ("K", "in 1938 more than 90,000")],
     "G (Table 7.1) gives 70,000, 2 percent of the party; S (Table 6) gives 70,000 and 2.0 per cent; K gives more than 90,000."),
    ("expulsions-1936", "How many members were expelled from the party in 1936?",
     [("S", "There are no national statistics for 1936"), ("G", "1936 — —"), ("K", "For 1936 alone 134,000 people were expelled from the party")],
     "The note to S's Table 6 states that there are no national statistics for 1936; G's Table 7.1 prints dashes for that year; K gives 134,000."),
    ("expulsions-1937-scale", "Was 1937 a year of few or of many expulsions from the party?",
     [("G", "The total number of persons expelled from the party in 1937 was smaller than the number expelled nationally in the proverka in 1935, or indeed in any previous year of official “purge.”"), ("S", "1937 was one of the years in which the lowest numbers of people were expelled"), ("E", "The reduction of the Party ranks from 2,800,000 to 1,588,852 over the period 1934-39"), ("E", "The purge meant that 43.6 per cent of communists had been expelled from the Party")],
     "G states that fewer persons were expelled in 1937 than in the proverka of 1935 or in any previous year of official purge; S calls 1937 one of the years with the lowest numbers of expulsions; E, in a passage on the fall of party membership from 2,800,000 to 1,588,852 over 1934–1939, states that the purge meant that 43.6 per cent of communists had been expelled."),
    ("arrests-executions-1937-38", "How many people were arrested and executed in 1937–1938?",
     [("E", "In 1937-38, altogether 1,372,392 people were arrested and 681,692 executed"), ("K", "millions of innocent people, including many high ranking Communist Party members, were imprisoned or shot")],
     "E gives 1,372,392 arrests and 681,692 executions for 1937–1938; the anthology editor's introduction to K speaks of millions imprisoned or shot in the late 1930s. K's article itself gives quotas and their increases (see the claims on Order No. 00447 and on the quotas), not an overall total."),
    ("order-00447-quotas", "What numbers did NKVD Order No. 00447 set?",
     [("K", "A total of 259.450 individuals were to be arrested, of these 72.950 were to be shot (including 10,000 in the camps)"), ("K", "These figures were deliberately incomplete"), ("M", "Yezhov then signed the execution orders condemning to death 75,950 individuals"), ("E", "The fact that the number of nameless victims reached a QUARTER OF A MILLION PEOPLE meant that the proposed action would result in unprecedented mass reprisals.")],
     "K: 259,450 individuals to be arrested, of whom 72,950 to be shot, including 10,000 in the camps (figures printed \"259.450\" and \"72.950\"), figures K calls deliberately incomplete; M, without naming the order, says that Yezhov signed execution orders condemning 75,950 individuals to death; E quotes Zhukov on the regional secretaries' proposals: the number of victims \"reached a QUARTER OF A MILLION PEOPLE\" (capitals as printed)."),
    ("order-00447-date", "When was NKVD Order No. 00447 issued?",
     [("K", "On 30 July Ezhov's deputy in the NKVD. M. P. Frinovskii, who had been assigned responsibility for implementing this action, sent to the Politburo for its approval the NKVD's operational order NOO447"), ("K", "On 31 July this order of the NKVD was approved by the Politburo"), ("E", "NKVD Operational Order No. 00447, July 30, 1938"), ("E", "on the basis of a Politburo decision taken in early July 1937, he signed a secret decree")],
     "K: the order was sent to the Politburo on 30 July and approved by it on 31 July (1937, from K's narrative); E's endnote 71 cites \"NKVD Operational Order No. 00447, July 30, 1938\", while E's text places the decree after a Politburo decision of early July 1937."),
    ("order-00447-signatory", "Who signed or submitted the operational order of July 1937?",
     [("M", "Yezhov then signed the execution orders"), ("K", "M. P. Frinovskii, who had been assigned responsibility for implementing this action, sent to the Politburo for its approval"), ("E", "he signed a secret decree")],
     "M and E say that Yezhov signed it; K names Ezhov's deputy M. P. Frinovskii as the official who sent the order to the Politburo for its approval."),
    ("operation-start", "When did the mass operation against 'anti-Soviet elements' begin?",
     [("K", "The order fixed the beginning of the operation, depending on region, from 5-15 August"), ("E", "on August 5, 1937")],
     "K: the order fixed the start between 5 and 15 August (1937), depending on region; E quotes the decree as instructing the NKVD to begin on August 5, 1937."),
    ("troika-composition", "Who sat on the troiki?",
     [("M", "a troika including the Party Secretary, the President of the local Soviet and the Chief of the NKVD"), ("K", "As a rule they included the narkom or administrative head of the NKVD, the secretary of the corresponding party organisation and the procurator of the republic, krai or oblast"), ("E", "composed of the NKVD chief of Western Siberia, the attorney of Western Siberia and himself, Eikhe")],
     "M names the party secretary, the president of the local soviet and the NKVD chief; K names, as a rule, the head of the NKVD, the party secretary and the procurator; E describes Eikhe's proposed troika for Western Siberia: the regional NKVD chief, the attorney and Eikhe himself."),
    ("troika-origin", "Where did the troiki and the mass operation originate?",
     [("K", "The new stage in the purge was heralded by the decision of the Politburo of 28 June 1937"), ("K", "On 2 July 1937 a Politburo resolution 'Concerning anti-Soviet elements' sanctioned the carrying out of operations"), ("E", "Eikhe submitted a written proposal to permit the Western Siberian authorities to organise an emergency committee"), ("M", "The purge started with a cadre decision, signed on July 2, 1937 by Stalin and Molotov.")],
     "K dates the new stage from a Politburo decision of 28 June 1937 on West Siberia, which set up a troika there, followed by the Politburo resolution of 2 July 1937 \"Concerning anti-Soviet elements\"; E starts from a written proposal by the West Siberian party leader Eikhe to set up a troika; M from a decision of 2 July 1937 signed by Stalin and Molotov."),
    ("quota-changes", "Did the centre raise or lower the regional quotas?",
     [("K", "From the end of August the Central Committee received from local leaders requests to increase the quotas for repression"), ("K", "sanctioned increasing the quotas for various regions for the first category by almost 22,500"), ("E", "Historian Leonid Naumov states that the quotas demanded by some secretaries were lowered by a factor of 7"), ("M", "were already introducing demands to increase the quota")],
     "K: local leaders asked for higher quotas from the end of August 1937, and the Politburo sanctioned increases (by almost 22,500 in the first category and 16,800 in the second, 27 August to 15 December); E, citing Naumov, states that the quotas some secretaries demanded were lowered by a factor of 7; M says that from September 1937 regional leaders and the leadership's envoys demanded increases."),
    ("organiser", "Who directed the mass repression of 1937–1938, and how far was it planned?",
     [("K", "The mass repression of 1937-8 was unquestionably an action directed from the centre; which was planned and administered from Moscow"), ("G", "Apparently, there was considerable day-to-day indecision and confusion about whom to arrest; there seems to have been little detailed planning or coordination and a good deal of spontaneous violence"), ("E", "the leaders of the provinces and republics were afraid that they would lose the first general, direct, equal and secret elections"), ("M", "There was a revolutionary purge from below and from above.")],
     "K: directed from the centre, planned and administered from Moscow; G: \"apparently\" day-to-day indecision and confusion about whom to arrest, and, it \"seems\", little detailed planning or coordination; E: the reprisals were sought by the leaders of the provinces and republics, who feared losing the first secret elections; M: \"a revolutionary purge from below and from above\"."),
    ("regional-secretaries", "What part did the regional party secretaries play?",
     [("E", "by July 11, 43 out of the 71 first secretaries of the provinces and republics of the USSR had submitted proposals"), ("K", "the Central Committee received from local leaders requests to increase the quotas for repression"), ("G", "Secretaries defended themselves and proved their vigilance by expelling and denouncing batches of rank-and-file members"), ("M", "Regional Party Secretaries tried to show their vigilance by denouncing and expelling a large number of lower cadres and ordinary members.")],
     "E, after Zhukov, states that by July 11 (1937) 43 of the 71 first secretaries had submitted proposals for troiki, with numbers of people to be exiled and executed; K reports local leaders' requests for higher quotas within an operation that it holds was directed from the centre; G and M describe secretaries expelling and denouncing rank-and-file members to show their vigilance."),
    ("stalin-role", "What was Stalin's own part?",
     [("K", "their true author, judging from the existing documents, was Stalin"), ("E", "Stalin also yielded too quickly to the demands by Central Committee members for quotas of arrests and executions"), ("G", "Perhaps he chose to disassociate himself from the nefarious activities of the NKVD to make it easier for him later to condemn the repression he authored"), ("G", "Yet it is just as reasonable to believe that Stalin was unimpressed with the chaotic effects of police activities")],
     "K: Stalin was the true author of the Politburo's directives on the terror, judging from the existing documents; E: he \"yielded too quickly\" to Central Committee members' demands for quotas; G, on his absence from the NKVD's anniversary celebration, weighs two explanations (that he distanced himself from \"the repression he authored\", or that he was unimpressed with the chaotic effects of police activity) without choosing between them."),
    ("motive", "What was the purpose of the mass repression?",
     [("K", "the main aim of the mass repression of 1937-8 was the removal of all strata of the population, which in the opinion of the country's leaders were hostile or potentially hostile"), ("K", "This operation was conceived as a means of eliminating a potential 'fifth column' in a period when the threat of war was increasing"), ("M", "By exterminating the Fifth Column, Stalin thought about saving several million Soviet lives"), ("E", "the leaders of the provinces and republics were afraid that they would lose the first general, direct, equal and secret elections with alternative candidates")],
     "K: the removal of all strata of the population that the country's leaders considered hostile or potentially hostile, conceived as eliminating a potential 'fifth column' (K's quotation marks) as the threat of war grew; M: Stalin's decision to eliminate \"the Fifth Column\" (M's term) to save Soviet lives in a coming war; E: the fear of the leaders of the provinces and republics of losing contested secret elections."),
    ("tukhachevsky-real", "Was there a Tukhachevsky conspiracy?",
     [("M", "The actual purge was decided upon after the revelation of the Tukhachevsky military conspiracy"), ("G", "With no creditable sources and so many contradictory rumors, the entire affair must remain mysterious"), ("K", "in the army cases were fabricated against a number of senior military officers"), ("E", "presented evidence which proved beyond doubt that the Tukhachevsky conspiracy was not a result of Stalin's suspiciousness"), ("S", "The conspiracy of the Generals was the military part of the struggle of the opposition against the Soviet government")],
     "M, S and E present the conspiracy as real (E: Western authors \"presented evidence which proved beyond doubt\" that it was not a result of Stalin's suspiciousness); G holds that for want of creditable sources the affair \"must remain mysterious\"; K writes that in the army cases were fabricated against senior officers."),
    ("tukhachevsky-demotion", "When was Tukhachevsky removed as deputy commissar of defence?",
     [("S", "On 11th May 1937, Marshal Tukhachevskii was demoted"), ("G", "On May 11, the press announced that he had been removed from his post as deputy commissar of defense"), ("E", "On May 10, it was announced that Tukhachevsky had been relieved of his duties")],
     "S dates the demotion 11 May 1937; G dates the press announcement of his removal May 11 (1937); E dates the announcement May 10."),
    ("generals-arrest", "When were the generals arrested and tried?",
     [("S", "These generals had been arrested on 26th May, 1937"), ("S", "On June 11, 1937, Pravda announced that Marshal Tukhachevskii and Generals Putna, Iakir, Uborevich, Feldman, Kork, Primakov and Eideman had been arrested and charged with treason."), ("G", "On June 11, 1937, Pravda announced the arrest and trial of Marshal Tukhachevskii and the leading generals"), ("E", "On June 11, Tukhachevsky, Yakir, Uborevich, Kork, Eideman, Feldman, Putna and Primakov were brought before a court martial and after a brief trial were sentenced to death")],
     "S dates the arrests 26 May 1937 and Pravda's announcement of arrest and charges 11 June 1937; G dates Pravda's announcement of the arrest and trial 11 June 1937; E dates the court martial and the sentences 11 June."),
    ("coup-date", "When was the alleged military coup to take place?",
     [("S", "Towards the end of March 1937, they decided on the timing of the coup. It was to take place within six weeks, or by March 15th at the latest."), ("E", "the military coup scheduled for May 1 was frustrated at the last minute"), ("E", "According to Carell, Tukhachevsky “postponed the coup by three weeks.")],
     "S: \"towards the end of March 1937\" the military conspirators, as S calls them, decided on a coup \"within six weeks, or by March 15th at the latest\" (as printed); E reports evidence that a coup \"scheduled for May 1\" was frustrated at the last minute and, on the other hand, quoting Carell, that Tukhachevsky, chosen to head the Soviet delegation to the coronation of 12 May, \"postponed the coup by three weeks\"."),
    ("yezhov-appointed", "When did Ezhov become head of the NKVD?",
     [("K", "On 26 September on Stalin's insistence the Politburo removed G. G. Yagoda from the post of People's Commissar of Internal Affairs (NKVD USSR) and appointed in his place N. I. Ezhov"), ("E", "In September 1936, Yagoda was relieved of his post as head of the NKVD, and his replacement Yezhov"), ("E", "Nikolai Yezhov, head of the NKVD from January 1937 onwards")],
     "K dates the Politburo's appointment 26 September (1936, from K's narrative); E dates Yagoda's removal and his replacement by Yezhov September 1936 in one place and calls Yezhov \"head of the NKVD from January 1937 onwards\" in another."),
    ("yezhov-dismissed", "When was Ezhov removed from the NKVD?",
     [("K", "On 24 November Ezhov was released from his post as narkom of the NKVD"), ("E", "On December 9, 1938, Yezhov was dismissed as head of the NKVD")],
     "K gives 24 November (1938, from the context); E gives December 9, 1938."),
    ("yezhov-politburo", "What was Ezhov's rank in the Politburo?",
     [("G", "In October, Ezhov became a candidate member of the Politburo"), ("K", "became only a candidate member of the Politburo several months later"), ("E", "though Yezhov was just an alternate Politburo member")],
     "All three make him a candidate (alternate) member; G dates this October (1937, from the context), K \"several months\" after the resolution of 14 April 1937; E calls him an alternate member in March 1938."),
    ("resolution-1938-date", "When was the January 1938 resolution on expulsions adopted or published?",
     [("M", "(18 January 1938)"), ("K", "On 19 January the press published the resolution of the Central Committee")],
     "M's reference for the resolution (to McNeal, p. 188) dates it 18 January 1938; K dates its publication in the press 19 January."),
    ("resolution-1938-effect", "What did the January 1938 resolution change?",
     [("K", "the resolution of the January plenum of 1938 remained no more than a political declaration"), ("K", "On 31 January 1938 the Politburo adopted the proposal of the NKVD USSR 'Concerning the confirmation of additional numbers of those subject to repression"), ("E", "Both his report, and the resolution which followed it, had numerous examples of ruthless treatment of communists"), ("E", "This meant that the tide of repression was now being turned"), ("M", "with great foresight, Stalin had already denounced these problems")],
     "K: it remained \"no more than a political declaration\", and on 31 January 1938 the Politburo confirmed additional numbers to be repressed; E: with Malenkov's report and the resolution \"the tide of repression was now being turned\"; M: Stalin, \"with great foresight\", \"had already denounced these problems\" six months into the operation."),
    ("kolomna", "How many communists and former party members were there at the Kolomna works?",
     [("K", "compared to 1.408 communists there were 2,000 former party members"), ("K", "Many of the facts and theses from the spravka were noted by Stalin in his speeches to the February-March plenum."), ("E", "He spoke of a plant in Kolomna where there were 1,400 communists at the time and 2,000 former communists")],
     "K, reporting Malenkov's spravka for Stalin of 15 February 1937, gives 1,408 communists (printed \"1.408\") and 2,000 former party members at the Kolomenskyi locomotive works, and says that Stalin used many of the spravka's facts at the February–March plenum; E, reporting Stalin's speech at that plenum, gives 1,400 communists and 2,000 former communists at a plant in Kolomna."),
    ("party-size", "How large was the party before and after the purges?",
     [("E", "The reduction of the Party ranks from 2,800,000 to 1,588,852 over the period 1934-39"), ("G", "about 1,826,000 and 1,514,000 full members, respectively")],
     "E gives a fall from 2,800,000 to 1,588,852 over 1934–1939; G computes with about 1,826,000 full members in 1934 and 1,514,000 in 1939."),
    ("rumiantsev", "Why was Rumiantsev removed?",
     [("M", "He was expelled from above, for having been linked to a military plot, as a collaborator of Uborevich."), ("G", "Rumiantsev was removed \"from above\" for connection with the alleged military plot"), ("S", "There were suspicions that Rumiantsev was one of the high Party functionaries involved in the military conspiracy"), ("S", "Rumiantsev and his group were arrested on charges of corruption and abuse of power")],
     "M: expelled from above, \"for having been linked to a military plot\" as a collaborator of Uborevich; G: removed \"from above\" for connection with \"the alleged military plot\"; S reports \"suspicions\" that he was involved in \"the military conspiracy\" and says that he and his group were arrested on charges of corruption and abuse of power."),
    ("leaders-expelled-share", "Were leaders the main targets of the 1937 expulsions?",
     [("G", "Of 244 members and candidates of the Belyi party organization, 36 (14.8 percent) were expelled in 1937."), ("G", "Twenty-nine of those expelled (80 percent) were in leading positions"), ("S", "Of all those expelled, around 80 per cent were corrupt Party bigwigs and high level army officers")],
     "G, for the Belyi district party organisation, finds 29 of the 36 members expelled in 1937 (80 percent) in leading positions; S states that of all those expelled in 1937 \"around 80 per cent were corrupt Party bigwigs and high level army officers\"."),
    ("nkvd-deputies-december-1937", "How many of Ezhov's deputy commissars left the NKVD at the end of December 1937, and how?",
     [("G", "At the end of December, one of Ezhov's deputy commissars of the NKVD was transferred to a post in the Commissariat of Forests, and another became deputy commissar of communications."), ("G", "In the following weeks, a third deputy commissar of the NKVD was transferred to other work."), ("M", "At the end of December, three Deputy Commissars of the NKVD were fired.")],
     "G reports two deputy commissars transferred to other posts at the end of December 1937 and a third in the following weeks; M, citing \"Ibid., p. 185\" (resolved by the edition to G), reports three deputy commissars \"fired\" at the end of December (see the citation locus cit.M.body.p14.492)."),
    ("plenum-february-march-1937", "What was the February–March 1937 plenum of the Central Committee chiefly about?",
     [("K", "The necessity of continuing the struggle with enemies was indicated by the main reports to the plenum from Stalin, Molotov and Ezhov."), ("E", "At the 20th Congress Khrushchev asserted that at this meeting Stalin attempted to build a \"theoretical justification for the mass terror policy.\" Nothing was further from the truth."), ("E", "the main discussion (probably quite heated) seems to have been around Party democracy, introduced in the speech by Andrei Zhdanov"), ("G", "the meeting dealt with the radical campaigns of both Ezhov and Zhdanov"), ("S", "One of the important resolutions passed at the February meeting of the Central Committee was a to hold general Party elections on the basis of secret ballots.")],
     "K stresses the main reports of Stalin, Molotov and Ezhov, which indicated \"the necessity of continuing the struggle with enemies\"; E rejects Khrushchev's statement that Stalin sought there a theoretical justification for mass terror and places party democracy (Zhdanov's speech) at the centre; G describes a meeting that dealt with both Ezhov's and Zhdanov's campaigns; S names the resolution on party elections by secret ballot among its important resolutions."),
    ("proverka-1935", "How many were expelled in the 1935 verification (proverka)?",
     [("S", "resulted in the expulsion of 170,000 members out of the 1.8 million investigated, i.e. 9.1 per cent"), ("S", "1935 170,000 9.0"), ("G", "National — 170,000 9.1"), ("G", "1935 proverka 170,000 9")],
     "S gives 170,000 members, 9.1 per cent, in its text and 9.0 in its Table 6; G gives 170,000 and 9.1 percent nationally in Table 3.3, and 170,000 and 9 percent in Table 7.1."),
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
