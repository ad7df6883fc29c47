// The one parser of `--layers` and `--big-layers`: what it accepts and what it refuses.

import CLISupport
import Testing

@Suite struct LayerListTests {
    @Test(arguments: [
        ("784,128,64,10", [784, 128, 64, 10]),
        ("25,8,2", [25, 8, 2]),
        ("784, 32 ,10", [784, 32, 10]),
    ])
    func readsSizes(argument: String, sizes: [Int]) {
        #expect(LayerList(argument: argument)?.sizes == sizes)
    }

    @Test(arguments: ["784,,10", "784,10,", ",784,10", "784", "", "784,abc,10", "784,0,10", "784,-5,10", "784;10"])
    func refusesMalformedLists(argument: String) {
        #expect(LayerList(argument: argument) == nil)
    }

    @Test func writesTheListBackAsGiven() {
        #expect(LayerList([784, 800, 800, 10]).description == "784,800,800,10")
        #expect(LayerList(argument: "784, 32 ,10")?.description == "784,32,10")
    }
}
