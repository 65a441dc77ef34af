// swift-tools-version:6.0
// The Swift binding of Gainsly Core. `CGainsly` is the C ABI (include/gainsly/gainsly.h), found with
// pkg-config (`gainsly.pc`); `Gainsly` is the Swift API over it. See README.md.
import PackageDescription

let package = Package(
    name: "Gainsly",
    products: [
        .library(name: "Gainsly", targets: ["Gainsly"]),
    ],
    targets: [
        .systemLibrary(name: "CGainsly", pkgConfig: "gainsly"),
        .target(name: "Gainsly", dependencies: ["CGainsly"]),
        .testTarget(name: "GainslyTests", dependencies: ["Gainsly"]),
    ]
)
