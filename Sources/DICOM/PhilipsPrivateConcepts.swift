import HarmonicCore

/// Philips Allura/Azurion dose reports leave the standard Collimated Field Height/Width/Area
/// (113788/113789/113790) out of each event and carry the collimation in private concepts of
/// the coding scheme `99PHI-IXR-XPER` instead (seen in both real Philips reports of
/// shared/data/dicom/rdsr): a "Wedges and Shutters" container (005) with Bottom (006), Left
/// (007), Right (008) and Top (009) Shutter in mm, and "Detector Field Size" (023) with X side
/// (024) and Y side (025) in mm.
///
/// Reading (an assumption, the Philips conformance statement not being at hand): each shutter
/// value is the distance of its blade edge from the central ray in the detector plane, and a
/// shutter opened wider than the detector is limited by the detector, so the field at the
/// detector is min(left + right, X side) × min(top + bottom, Y side). In the real reports the
/// values are symmetric (left = right, top = bottom) and never more than 190 mm from the centre,
/// consistent with a 380 × 300 mm detector field.
enum PhilipsPrivateConcepts {
    static let scheme = "99PHI-IXR-XPER"

    /// Collimated field width (left-right) and height (top-bottom) at the detector, when the
    /// event carries the Philips shutter concepts.
    static func collimatedField(_ event: ContentItem) -> (width: Centimetre, height: Centimetre)? {
        func mm(_ code: String) -> Double? {
            guard let item = find(event, code), let v = item.numericValue, v.isFinite, v >= 0,
                  let f = MeasurementUnit.toCentimetres(item.unit?.value ?? "") else { return nil }
            return v * f * 10
        }
        guard let left = mm("007"), let right = mm("008"), let top = mm("009"), let bottom = mm("006") else { return nil }
        var width = left + right, height = top + bottom
        if let x = mm("024"), x > 0 { width = min(width, x) }
        if let y = mm("025"), y > 0 { height = min(height, y) }
        guard width > 0, height > 0 else { return nil }
        return (Centimetre(width / 10), Centimetre(height / 10))
    }

    /// First descendant with this Philips private code (scheme checked: codes like "006" are not unique).
    static func find(_ item: ContentItem, _ code: String) -> ContentItem? {
        for c in item.children {
            if c.conceptName?.value == code, c.conceptName?.scheme == scheme { return c }
            if let d = find(c, code) { return d }
        }
        return nil
    }
}
