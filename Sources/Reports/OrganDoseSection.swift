import Foundation

/// The organ-dose part of the main job's report: how each procedure was reconstructed, organ
/// dose distributions by country, era, procedure type and tier, effective dose per KAP against
/// Ubeda et al. 2017, and (synthetic cohorts) reconstructed against true doses.
public enum OrganDoseSection {
    public static func append(to r: inout HTMLReport, summary s: OrganDoseSummary, truth: DoseTruthComparison?) {
        r.section("Organ doses: reconstruction tiers")
        if let run = s.run {
            r.paragraph("Dose run \(run.runID): \(run.realisations) uncertainty realisations per procedure (seed \(run.seed)), coefficient source \(run.source). Doses shown are the arithmetic means over the realisations (organs in mGy, effective dose in mSv); methods in docs/dose-reconstruction.md.")
        }
        r.table(caption: "Procedures by reconstruction tier", header: ["Tier", "Procedures"],
                rows: s.tierCounts.map { [$0.tier, formatNumber(Double($0.count))] })
        r.figure(SVGChart.bar(title: "Procedures by reconstruction tier",
                              description: "event: from each irradiation event; totals: total KAP with the projection mix of comparable procedures; imputed: KAP imputed; flagged: impossible values, not dosed.",
                              categories: s.tierCounts.map(\.tier), values: s.tierCounts.map { Double($0.count) }, xLabel: "Tier", yLabel: "Procedures"))
        if !s.flagReasons.isEmpty {
            r.table(caption: "Flagged procedures by reason (not dosed)", header: ["Reason", "Procedures"],
                    rows: s.flagReasons.map { [$0.reason, formatNumber(Double($0.count))] })
        }
        r.endSection()

        r.section("Organ dose distributions")
        r.figure(SVGChart.histogram(title: "Red bone marrow dose per procedure",
                                    description: "Histogram (log scale) of the mean red marrow dose per dosed procedure.",
                                    values: s.redMarrowSample, bins: 40, logX: true, xLabel: "Red marrow dose (mGy)", yLabel: "Procedures (sample)"))
        r.figure(SVGChart.histogram(title: "Cumulative red bone marrow dose per child",
                                    description: "Histogram (log scale) of the sum of a child's procedure mean red marrow doses.",
                                    values: s.childRedMarrowSample, bins: 40, logX: true, xLabel: "Cumulative red marrow dose (mGy)", yLabel: "Children (sample)"))
        for (title, groups, label) in [("country", s.byCountry, "Country"), ("era", s.byEra, "Decade"),
                                       ("procedure type", s.byType, "Procedure type"), ("tier", s.byTier, "Tier")] {
            guard let first = groups.first, !first.isEmpty else { continue }
            let categories = first.map(\.group)
            r.figure(SVGChart.scatter(title: "Median organ dose per procedure by \(title)",
                                      description: "Median of the mean organ dose per procedure, by \(title), one series per organ (log scale); bars in the table give quartiles.",
                                      series: OrganDoseSummary.organs.indices.map { k in
                                          PlotSeries(name: OrganDoseSummary.organs[k].name, x: categories.indices.map(Double.init),
                                                     y: groups[k].map(\.median), line: title == "era")
                                      }, xLabel: "\(label) (" + categories.enumerated().map { "\($0.offset)=\($0.element)" }.joined(separator: ", ").prefix(90) + ")",
                                      yLabel: "Median dose (mGy)", yScale: .log))
            r.table(caption: "Organ dose per procedure by \(title): median (quartiles), mGy",
                    header: [label, "n"] + OrganDoseSummary.organs.map(\.name),
                    rows: categories.indices.map { g in
                        [categories[g], formatNumber(Double(first[g].n))] + OrganDoseSummary.organs.indices.map { k in
                            let x = groups[k][g]
                            return "\(formatNumber(x.median)) (\(formatNumber(x.q1))-\(formatNumber(x.q3)))"
                        }
                    })
        }
        r.table(caption: "Effective dose per procedure by tier: median (quartiles), mSv", header: ["Tier", "n", "Effective dose"],
                rows: s.effectiveByTier.map { [$0.group, formatNumber(Double($0.n)), "\(formatNumber($0.median)) (\(formatNumber($0.q1))-\(formatNumber($0.q3)))"] })
        r.endSection()

        r.section("Comparison with published paediatric cardiac doses")
        r.paragraph("Effective dose per kerma-area product of the procedures with a recorded KAP (tiers event and totals), against the medians of Ubeda et al., Phys Med 2017 (paediatric cardiac catheterisation, 1.70, 0.89, 0.58 and 0.40 mSv/(Gy·cm²) for ages <1, 1-<5, 5-<10 and 10-<16 years).")
        let bands = s.effectivePerKAP
        r.figure(SVGChart.scatter(title: "Effective dose per KAP by age band",
                                  description: "Median E/KAP of this registry and of Ubeda et al. 2017 by age band.",
                                  series: [PlotSeries(name: "This registry", x: bands.indices.map(Double.init), y: bands.map(\.median), line: true),
                                           PlotSeries(name: "Ubeda et al. 2017", x: bands.indices.map(Double.init), y: bands.map(\.ubeda), line: true)],
                                  xLabel: "Age band (0 = <1 y, 1 = 1-<5, 2 = 5-<10, 3 = 10-<16)", yLabel: "E/KAP (mSv per Gy·cm²)", yScale: .log))
        r.table(caption: "Median effective dose per KAP, mSv/(Gy·cm²)", header: ["Age band", "Procedures", "This registry", "Ubeda et al. 2017", "Ratio"],
                rows: bands.map { [$0.band, formatNumber(Double($0.n)), formatNumber($0.median), formatNumber($0.ubeda), formatNumber($0.median / $0.ubeda)] })
        r.endSection()

        if let truth, !truth.ratios.isEmpty {
            r.section("Reconstructed against true doses (synthetic cohort)")
            r.paragraph("Synth draws each procedure's true organ doses as KAP × E/KAP(age band, Ubeda et al. 2017) × a fixed organ-to-E ratio; the reconstruction uses the coefficient library's Monte Carlo coefficients for each child's size, projections and beam quality, so the ratios show the difference between the two dose models (and, for imputed procedures, the imputation error), not an error of either. \(formatNumber(Double(truth.matched))) procedures matched by id.")
            r.table(caption: "Reconstructed / true dose per procedure: median (10th-90th percentile)",
                    header: ["Tier", "Quantity", "n", "Median ratio", "10th-90th percentile"],
                    rows: truth.ratios.map { [$0.tier, $0.quantity, formatNumber(Double($0.n)), formatNumber($0.median), "\(formatNumber($0.p10))-\(formatNumber($0.p90))"] })
            r.endSection()
        }
    }
}
