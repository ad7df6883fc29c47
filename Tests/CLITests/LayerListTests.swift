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

    /// What `--layers` answers for a list it refuses (through `LayerList.parse`, its transform).
    @Test(arguments: [
        ("784", "a network needs at least two sizes, its inputs and its classes (got 1); e.g. 784,128,10"),
        ("", "a network needs at least two sizes, its inputs and its classes (got 0); e.g. 784,128,10"),
        ("784,0,10", "entry 2 is 0; every layer needs at least one unit"),
        ("784,-5,10", "entry 2 is -5; every layer needs at least one unit"),
        ("784,,10", "entry 2 is empty (a stray comma?)"),
        ("784,abc,10", "entry 2, \"abc\", is not a whole number"),
        ("784;10", "entry 1, \"784;10\", is not a whole number"),
    ])
    func refusedListsSayWhatIsWrong(argument: String, message: String) {
        #expect {
            _ = try LayerList.parse(argument)
        } throws: { error in
            String(describing: error) == message
        }
    }

    @Test func writesTheListBackAsGiven() {
        #expect(LayerList([784, 800, 800, 10]).description == "784,800,800,10")
        #expect(LayerList(argument: "784, 32 ,10")?.description == "784,32,10")
    }
}
