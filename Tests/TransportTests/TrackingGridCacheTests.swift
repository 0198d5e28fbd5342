import Testing
import HarmonicCore
import Phantoms
@testable import Transport

/// The tracking grid depends on the labels alone, so runs on the same voxel phantom share it.
@Suite("Tracking grids kept across runs on the same voxel phantom")
struct TrackingGridCacheTests {
    static let voxels = StylisedPhantom.reference(age: .newborn, sex: .female).voxelise()
    static let maps = (material: [0] + voxels.regions.map { $0.tissue.rawValue + 1 }, bone: [Int](repeating: -1, count: voxels.regions.count + 1))

    @Test("a copy of the same phantom gets the very same grid; a phantom voxelised again gets its own, with the same bytes")
    func sharedByIdentity() {
        let cache = TrackingGridCache()
        let copy = Self.voxels
        let a = cache.grid(for: Self.voxels, labelMaterial: Self.maps.material, labelBone: Self.maps.bone)
        let b = cache.grid(for: copy, labelMaterial: Self.maps.material, labelBone: Self.maps.bone)
        #expect(a.storage === b.storage)
        let again = StylisedPhantom.reference(age: .newborn, sex: .female).voxelise()
        let c = cache.grid(for: again, labelMaterial: Self.maps.material, labelBone: Self.maps.bone)
        #expect(c.storage !== a.storage)
        #expect(Array(c.cells) == Array(a.cells))
    }

    @Test("other label maps on the same phantom get their own grid")
    func keyedByTheMaps() {
        let cache = TrackingGridCache()
        let a = cache.grid(for: Self.voxels, labelMaterial: Self.maps.material, labelBone: Self.maps.bone)
        var bone = Self.maps.bone
        bone[1] = 0
        let b = cache.grid(for: Self.voxels, labelMaterial: Self.maps.material, labelBone: bone)
        #expect(a.storage !== b.storage)
    }

    @Test("only the most recent grids are kept")
    func bounded() {
        let cache = TrackingGridCache()
        let first = cache.grid(for: Self.voxels, labelMaterial: Self.maps.material, labelBone: Self.maps.bone)
        for k in 0..<TrackingGridCache.capacity {
            var bone = Self.maps.bone
            bone[1] = k
            _ = cache.grid(for: Self.voxels, labelMaterial: Self.maps.material, labelBone: bone)
        }
        let later = cache.grid(for: Self.voxels, labelMaterial: Self.maps.material, labelBone: Self.maps.bone)
        #expect(later.storage !== first.storage, "the first grid was evicted and built anew")
    }
}
