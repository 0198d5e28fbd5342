import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

/// Every value the reader extracts from a dose report, checked against pydicom reading the same
/// file (PydicomRDSRPeer.swift), on the 7 real vendor RDSRs and the 4 generated ones.
/// Numeric tolerance everywhere: `agree`, relative 1e-9 (same decimal text times the same factor).
@Suite("Dose reports against pydicom, field by field")
struct RDSRPeerTests {
    /// Pairs our events with pydicom's, failing when the counts differ.
    func events(_ sample: RDSRSample) throws -> [(IrradiationEvent, PeerReport.Event)] {
        let ours = try sample.report().events, theirs = try peer(sample).events
        try #require(ours.count == theirs.count, "\(sample): \(ours.count) events, pydicom \(theirs.count)")
        return Array(zip(ours, theirs))
    }

    func totals(_ sample: RDSRSample) throws -> [(AccumulatedDose, PeerReport.Accumulated)] {
        let ours = try sample.report().accumulated, theirs = try peer(sample).accumulated
        try #require(ours.count == theirs.count, "\(sample): \(ours.count) accumulated containers, pydicom \(theirs.count)")
        return Array(zip(ours, theirs))
    }

    @Test("device manufacturer and model name match pydicom (header, else Device Observer 121014/121015)", arguments: allRDSRSamples)
    func device(sample: RDSRSample) throws {
        let r = try sample.report(), p = try peer(sample)
        #expect(r.manufacturer == p.manufacturer)
        #expect(r.modelName == p.model)
    }

    @Test("event UIDs and DateTime Started match pydicom", arguments: allRDSRSamples)
    func uidAndDateTime(sample: RDSRSample) throws {
        for (e, p) in try events(sample) {
            #expect(e.uid == p.uid)
            #expect(e.dateTimeStarted == p.datetime, "\(sample) \(e.uid ?? "")")
        }
    }

    @Test("event type and acquisition plane match pydicom's codes", arguments: allRDSRSamples)
    func typeAndPlane(sample: RDSRSample) throws {
        for (e, p) in try events(sample) {
            #expect(e.type == (p.type.flatMap { eventTypeByCode[$0] } ?? .other))
            #expect(e.plane == (p.plane.flatMap { planeByCode[$0] } ?? .unknown))
        }
    }

    @Test("event DAP and dose at the reference point match pydicom", arguments: allRDSRSamples)
    func dapAndReferencePoint(sample: RDSRSample) throws {
        for (e, p) in try events(sample) {
            #expect(agree(e.doseAreaProduct?.value, p.dap), "\(sample): DAP \(String(describing: e.doseAreaProduct)) vs \(String(describing: p.dap))")
            #expect(agree(e.doseAtReferencePoint?.value, p.rp))
        }
    }

    @Test("positioner primary and secondary angles match pydicom", arguments: allRDSRSamples)
    func angles(sample: RDSRSample) throws {
        for (e, p) in try events(sample) {
            #expect(agree(e.primaryAngleDegrees, p.primary), "\(sample) \(e.uid ?? "")")
            #expect(agree(e.secondaryAngleDegrees, p.secondary), "\(sample) \(e.uid ?? "")")
        }
    }

    @Test("kVp (mean of the event's KVP items) matches pydicom", arguments: allRDSRSamples)
    func kvp(sample: RDSRSample) throws {
        for (e, p) in try events(sample) { #expect(agree(e.kVp?.value, p.kvp), "\(sample) \(e.uid ?? "")") }
    }

    @Test("X-ray tube current matches pydicom", arguments: allRDSRSamples)
    func tubeCurrent(sample: RDSRSample) throws {
        for (e, p) in try events(sample) { #expect(agree(e.tubeCurrentMilliampere, p.ma), "\(sample) \(e.uid ?? "")") }
    }

    @Test("pulse width and number of pulses match pydicom", arguments: allRDSRSamples)
    func pulses(sample: RDSRSample) throws {
        for (e, p) in try events(sample) {
            #expect(agree(e.pulseWidthMilliseconds, p.pulse_width_ms), "\(sample) \(e.uid ?? "")")
            #expect(agree(e.numberOfPulses, p.pulses), "\(sample) \(e.uid ?? "")")
        }
    }

    @Test("exposure time (113824, or the retired 113735) and irradiation duration match pydicom", arguments: allRDSRSamples)
    func exposureTime(sample: RDSRSample) throws {
        for (e, p) in try events(sample) {
            #expect(agree(e.exposureTime?.value, p.exposure_time), "\(sample) \(e.uid ?? "")")
            #expect(agree(e.irradiationDuration?.value, p.duration), "\(sample) \(e.uid ?? "")")
        }
    }

    @Test("X-ray filters' type, material and thicknesses match pydicom", arguments: allRDSRSamples)
    func filters(sample: RDSRSample) throws {
        for (e, p) in try events(sample) {
            try #require(e.filters.count == p.filters.count, "\(sample) \(e.uid ?? "")")
            for (f, g) in zip(e.filters, p.filters) {
                #expect(f.type == g.type && f.material == g.material)
                #expect(agree(f.thicknessMinimum?.value, g.min_cm) && agree(f.thicknessMaximum?.value, g.max_cm))
            }
        }
    }

    @Test("collimated field area, height and width match pydicom's standard concepts, or Philips' shutters", arguments: allRDSRSamples)
    func collimatedField(sample: RDSRSample) throws {
        for (e, p) in try events(sample) {
            switch e.collimatedFieldSource {
            case .standard:
                #expect(agree(e.collimatedFieldArea, p.area_cm2), "\(sample) \(e.uid ?? "")")
                #expect(agree(e.collimatedFieldHeight?.value, p.height_cm) && agree(e.collimatedFieldWidth?.value, p.width_cm))
            case .philipsShutters:
                // Only when the standard concepts are absent; width = min(left + right, detector X), height =
                // min(top + bottom, detector Y) (PhilipsPrivateConcepts' reading of the private concepts).
                #expect(p.area_cm2 == nil && p.height_cm == nil && p.width_cm == nil)
                let s = try #require(p.philips_shutters_cm).map { $0 ?? .infinity }
                let width = min(s[1] + s[2], s[4]), height = min(s[3] + s[0], s[5])
                #expect(abs(e.collimatedFieldWidth!.value - width) <= 1e-9 * width)
                #expect(abs(e.collimatedFieldHeight!.value - height) <= 1e-9 * height)
                #expect(abs(e.collimatedFieldArea! - width * height) <= 1e-9 * width * height)
            }
        }
    }

    @Test("source-to-detector distance matches pydicom", arguments: allRDSRSamples)
    func sourceToDetector(sample: RDSRSample) throws {
        for (e, p) in try events(sample) { #expect(agree(e.sourceToDetector?.value, p.sid_cm), "\(sample) \(e.uid ?? "")") }
    }

    @Test("table longitudinal, lateral and height positions match pydicom", arguments: allRDSRSamples)
    func tablePositions(sample: RDSRSample) throws {
        for (e, p) in try events(sample) {
            #expect(agree(e.tableLongitudinal?.value, p.table_longitudinal_cm))
            #expect(agree(e.tableLateral?.value, p.table_lateral_cm))
            #expect(agree(e.tableHeight?.value, p.table_height_cm))
        }
    }

    @Test("target region and acquisition protocol match pydicom", arguments: allRDSRSamples)
    func targetRegion(sample: RDSRSample) throws {
        for (e, p) in try events(sample) {
            #expect(e.targetRegion == p.target_region)
            #expect(e.acquisitionProtocol == p.`protocol`)
        }
    }

    @Test("each accumulated container's plane and DAP / reference-point totals match pydicom", arguments: allRDSRSamples)
    func accumulatedTotals(sample: RDSRSample) throws {
        for (a, p) in try totals(sample) {
            #expect(a.plane == (p.plane.flatMap { planeByCode[$0] } ?? .unknown))
            #expect(agree(a.doseAreaProductTotal?.value, p.dap) && agree(a.doseAtReferencePointTotal?.value, p.rp))
        }
    }

    @Test("fluoroscopy totals per plane (DAP, reference-point dose, fluoro time) match pydicom", arguments: allRDSRSamples)
    func fluoroTotals(sample: RDSRSample) throws {
        for (a, p) in try totals(sample) {
            #expect(agree(a.fluoroDoseAreaProductTotal?.value, p.fluoro_dap))
            #expect(agree(a.fluoroDoseAtReferencePointTotal?.value, p.fluoro_rp))
            #expect(agree(a.totalFluoroTime?.value, p.fluoro_time))
        }
    }

    @Test("acquisition totals per plane (DAP, reference-point dose, time, radiographic frames) match pydicom", arguments: allRDSRSamples)
    func acquisitionTotals(sample: RDSRSample) throws {
        for (a, p) in try totals(sample) {
            #expect(agree(a.acquisitionDoseAreaProductTotal?.value, p.acquisition_dap))
            #expect(agree(a.acquisitionDoseAtReferencePointTotal?.value, p.acquisition_rp))
            #expect(agree(a.totalAcquisitionTime?.value, p.acquisition_time))
            #expect(agree(a.totalNumberOfRadiographicFrames, p.frames))
        }
    }

    @Test("Siemens AXIOM-Artis carries exposure time in the retired concept 113735: 31 ms in the first event (dsrdump)")
    func retiredExposureTime() throws {
        let r = try RDSRSample(url: SharedData.url("dicom/rdsr/siemens_axiom_artis.dcm")).report()
        // dsrdump: NUM "Exposure Time" = "31.0" (ms,UCUM,"ms"), concept 113735; 31 × 1e-3 within 1 ulp.
        #expect(abs((r.events[0].exposureTime?.value ?? 0) - 0.031) <= 1e-15)
    }

    @Test("GE's positioner angles with an empty measured value ('Value unknown' qualifier) read as absent")
    func unknownAngles() throws {
        let r = try RDSRSample(url: SharedData.url("dicom/rdsr/RF-RDSR-GE.dcm")).report()
        #expect(r.events.allSatisfy { $0.primaryAngleDegrees == nil && $0.secondaryAngleDegrees == nil })
        #expect(r.unconvertedUnits.isEmpty)
    }
}
