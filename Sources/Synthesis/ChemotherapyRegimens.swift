import HarmonicCore

/// Cumulative chemotherapy of the radiotherapy registry's children, by the target site of their
/// course (which stands for the primary tumour), from the European first-line protocols of the
/// 2000s-2010s. Doses are the protocols' planned cumulative doses in mg/m²; each child gets
/// the regimen with the site's probability and a dose 70-100% of planned (dose reductions and
/// early stops are common).
///
/// - craniospinal, medulloblastoma (SIOP PNET 4, Lannering et al., J Clin Oncol 30 (2012) 3187):
///   8 maintenance cycles of cisplatin 70, lomustine 75 and vincristine 1.5 × 3 mg/m².
/// - head and neck, pelvis: rhabdomyosarcoma (EpSSG RMS 2005, Bisogno et al., Lancet Oncol 19
///   (2018) 1061): IVA × 9 (ifosfamide 6 g/m², dactinomycin 1.5 mg/m²) with doxorubicin
///   60 mg/m² × 4 in the IVADo arm of higher-risk groups.
/// - thorax, Hodgkin lymphoma (EuroNet-PHL-C1, Mauz-Körholz et al., Lancet Oncol 23 (2022) 125):
///   OEPA × 2 (doxorubicin 40 mg/m² × 2 per cycle, etoposide 125 mg/m² × 4 per cycle) and
///   COPDAC × 2-4 (cyclophosphamide 500 mg/m² × 2 per cycle, dacarbazine 250 mg/m² × 3 per cycle).
/// - abdomen, Wilms tumour (SIOP 2001, Pritchard-Jones et al., Lancet 386 (2015) 1156): AVD
///   with doxorubicin 250 mg/m² for stage II-III of intermediate risk (randomised away in the
///   trial's other arm), vincristine and dactinomycin.
/// - extremity, Ewing sarcoma (Euro-EWING 99, Juergens et al., Pediatr Blood Cancer 47 (2006) 22):
///   VIDE × 6 (doxorubicin 20 mg/m² × 3, ifosfamide 3 g/m² × 3, etoposide 150 mg/m² × 3 per cycle).
/// - brain, ependymoma: radiotherapy alone for most children; some get vincristine-etoposide.
enum ChemotherapyRegimens {
    struct Agent { let name: String; let plannedMgPerM2: Double }
    struct Regimen { let probability: Double; let agents: [Agent] }

    static let bySite: [String: Regimen] = [
        "craniospinal": Regimen(probability: 0.9, agents: [
            Agent(name: "cisplatin", plannedMgPerM2: 560), Agent(name: "lomustine", plannedMgPerM2: 600),
            Agent(name: "vincristine", plannedMgPerM2: 36)]),
        "head_neck": Regimen(probability: 0.85, agents: rhabdomyosarcoma),
        "pelvis": Regimen(probability: 0.85, agents: rhabdomyosarcoma),
        "thorax": Regimen(probability: 0.95, agents: [
            Agent(name: "doxorubicin", plannedMgPerM2: 160), Agent(name: "etoposide", plannedMgPerM2: 1000),
            Agent(name: "cyclophosphamide", plannedMgPerM2: 2000), Agent(name: "dacarbazine", plannedMgPerM2: 1500),
            Agent(name: "vincristine", plannedMgPerM2: 6)]),
        "abdomen": Regimen(probability: 0.9, agents: [
            Agent(name: "doxorubicin", plannedMgPerM2: 250), Agent(name: "vincristine", plannedMgPerM2: 27),
            Agent(name: "dactinomycin", plannedMgPerM2: 6.75)]),
        "extremity": Regimen(probability: 0.95, agents: [
            Agent(name: "doxorubicin", plannedMgPerM2: 360), Agent(name: "ifosfamide", plannedMgPerM2: 54_000),
            Agent(name: "etoposide", plannedMgPerM2: 2700), Agent(name: "vincristine", plannedMgPerM2: 9)]),
        "brain": Regimen(probability: 0.3, agents: [
            Agent(name: "vincristine", plannedMgPerM2: 12), Agent(name: "etoposide", plannedMgPerM2: 1200)]),
    ]

    static let rhabdomyosarcoma = [
        Agent(name: "ifosfamide", plannedMgPerM2: 54_000), Agent(name: "dactinomycin", plannedMgPerM2: 13.5),
        Agent(name: "vincristine", plannedMgPerM2: 27),
    ]
    /// Share of rhabdomyosarcoma children in the doxorubicin (IVADo) arm.
    static let rhabdomyosarcomaDoxorubicinShare = 0.4

    /// The agents and cumulative doses (mg/m²) of one child treated for `site`, drawn from `rng`.
    static func draw(site: String, rng: inout RandomStream) -> [(agent: String, doseMgPerM2: Double)] {
        guard let regimen = bySite[site], rng.uniform() < regimen.probability else { return [] }
        var agents = regimen.agents
        if regimen.agents.first?.name == "ifosfamide" && site != "extremity" && rng.uniform() < rhabdomyosarcomaDoxorubicinShare {
            agents.append(Agent(name: "doxorubicin", plannedMgPerM2: 240))
        }
        let delivered = 0.7 + 0.3 * rng.uniform()
        return agents.map { ($0.name, $0.plannedMgPerM2 * delivered) }
    }
}
