"""The lg: vocabulary, closed (an unknown term raises AttributeError).

Generated from ontology/legigraph.ttl by scripts/generate_vocab.py: do not edit;
tests/test_vocab.py checks that it is up to date.
"""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace


class LG(DefinedNamespace):
    """legigraph's own classes and properties (https://w3id.org/legigraph/ontology#)."""

    _NS = Namespace("https://w3id.org/legigraph/ontology#")
    _fail = True

    AIProject: URIRef  # AI project
    AmendingAct: URIRef  # amending act
    Amendment: URIRef  # amendment
    Annex: URIRef  # annex
    Bill: URIRef  # bill
    ChangeEvent: URIRef  # change event
    CitationResolution: URIRef  # citation resolution
    DefinedTerm: URIRef  # defined term
    Delegation: URIRef  # delegation
    Form: URIRef  # form
    FormerName: URIRef  # former name
    LawVersion: URIRef  # national law version
    LegalVersion: URIRef  # legal version
    NationalLaw: URIRef  # national law
    Ordinance: URIRef  # ordinance
    OrdinanceVersion: URIRef  # ordinance version
    PolicyInitiative: URIRef  # policy initiative
    ProvisionVersion: URIRef  # provision version
    Quantity: URIRef  # quantity
    ReportedResult: URIRef  # reported result
    ReviewOpinion: URIRef  # review opinion
    ReviewReport: URIRef  # review report
    SourceLocation: URIRef  # source location
    SourceTable: URIRef  # source table
    TechniqueClassification: URIRef  # curator's technique classification
    TechniqueMention: URIRef  # technique mention
    TopLevelUnit: URIRef  # top-level unit
    affectedProvision: URIRef  # affected provision
    aiFunction: URIRef  # AI function
    alreadyCoveredBy: URIRef  # already covered by
    amendedLaw: URIRef  # amended law
    amendingAct: URIRef  # amending act
    amendingLaw: URIRef  # amending law
    amendingVersion: URIRef  # version of the amending law
    amendmentForm: URIRef  # drafting form
    amendmentType: URIRef  # amendment type
    annexNumber: URIRef  # annex number
    applicationArea: URIRef  # application area
    assessment: URIRef  # assessment
    attributionLine: URIRef  # attribution line
    baselineStatedAs: URIRef  # baseline as stated
    baselineUnitCode: URIRef  # baseline unit code
    baselineValue: URIRef  # baseline value
    category: URIRef  # category
    changedIn: URIRef  # changed in
    citationText: URIRef  # citation text
    citedByCount: URIRef  # cited-by count
    citesFormerName: URIRef  # cites under a former name
    citesLaw: URIRef  # cites law
    citesMissingProvision: URIRef  # cites missing provision
    citesRepealedLaw: URIRef  # cites repealed law
    citingLawCount: URIRef  # citing-law count
    citingProvision: URIRef  # citing provision
    classifiedUnder: URIRef  # classified under
    classifies: URIRef  # classifies
    consideredLaw: URIRef  # considered law
    contactPerson: URIRef  # contact person
    createdLegalBasisOf: URIRef  # created legal basis of
    currentVersion: URIRef  # current version
    dateInForce: URIRef  # date in force
    definedBy: URIRef  # defined by
    definedIn: URIRef  # defined in
    delegatedProvision: URIRef  # delegated provision
    delegatingProvision: URIRef  # delegating provision
    delegationWording: URIRef  # delegation wording
    denotes: URIRef  # denotes
    enactedAs: URIRef  # enacted as
    enumeratesScope: URIRef  # enumerates scope
    firstLine: URIRef  # first line
    formerName: URIRef  # former name
    formerNameKind: URIRef  # kind of evidence
    hasOpinion: URIRef  # has opinion
    hasQuantity: URIRef  # has quantity
    humanIntervention: URIRef  # human intervention
    impactAssessment: URIRef  # impact assessment
    implementingBody: URIRef  # implementing body
    inVersion: URIRef  # in version
    insertedText: URIRef  # inserted text
    isLegalBasisOf: URIRef  # is legal basis of
    lastLine: URIRef  # last line
    lawSerialNumber: URIRef  # law serial number (MST)
    leadDepartment: URIRef  # lead department
    legalBasis: URIRef  # legal basis
    legalBasisCreatedBy: URIRef  # legal basis created by
    lifecycleStatus: URIRef  # lifecycle status
    localLawSerialNumber: URIRef  # local-law serial number
    mainContent: URIRef  # main content
    mentionedIn: URIRef  # mentioned in
    nameChange: URIRef  # name change
    nameOf: URIRef  # name of
    nameValidFrom: URIRef  # name valid from
    nameValidUntil: URIRef  # name valid until
    numberOfTasks: URIRef  # number of tasks
    onProvision: URIRef  # on provision
    opinionText: URIRef  # opinion text
    orgKind: URIRef  # organisation kind
    participantCount: URIRef  # participant count
    periodMonths: URIRef  # period in months
    plannedDate: URIRef  # planned date
    promulgationNumber: URIRef  # promulgation number
    proportionality: URIRef  # proportionality
    proposalReason: URIRef  # proposal reason
    proposedAs: URIRef  # proposed as
    proposedBy: URIRef  # proposed by
    provisionAfter: URIRef  # provision after
    provisionBefore: URIRef  # provision before
    publicationCategory: URIRef  # publication category
    quote: URIRef  # quote
    reasoning: URIRef  # reasoning
    rejectedLaw: URIRef  # rejected law
    reportsPolicy: URIRef  # reports policy
    reportsResult: URIRef  # reports result
    resolutionRule: URIRef  # resolution rule
    resolvedAsOf: URIRef  # resolved as of
    resolvedTo: URIRef  # resolved to
    responsibleAgent: URIRef  # responsible agent
    resultOf: URIRef  # result of
    reviews: URIRef  # reviews
    revisionNote: URIRef  # revision note
    risks: URIRef  # risks
    serialNumber: URIRef  # serial number
    sha256: URIRef  # SHA-256 digest
    sourceData: URIRef  # source data
    sourceDocument: URIRef  # source document
    sourceFileCount: URIRef  # source file count
    targetRank: URIRef  # target rank
    targetYear: URIRef  # target year
    technique: URIRef  # technique
    techniqueMention: URIRef  # technique mention
    textAfter: URIRef  # text after
    textBefore: URIRef  # text before
    viaFormerName: URIRef  # via former name
    visibleInCurrentText: URIRef  # visible in the current text
    words: URIRef  # words
