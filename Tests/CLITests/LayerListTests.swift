// The one parser of `--layers` and `--big-layers`: what it accepts and what it refuses, and why.

import ArgumentParser
import CLISupport
import NeuralNet
import Testing

@Suite struct LayerListTests {
    @Test(arguments: [
        ("784,128,64,10", [784, 128, 64, 10]),
        ("25,8,2", [25, 8, 2]),
        ("784, 32 ,10", [784, 32, 10]),
    ])
    func readsSizes(argument: String, sizes: [Int]) {
        #expect(LayerList(argument: argument)?.architecture.layerSizes == sizes)
    }

    @Test func readsConvolutionalNetworks() throws {
        let list = try #require(LayerList(argument: "1x28x28,16C5,BN,MP2,10"))
        #expect(list.architecture.layerSizes == nil)
        #expect(list.description == "1x28x28,16C5,BN,MP2,10")
    }

    @Test(arguments: [
        ("784,,10", "empty entry"), ("784,10,", "empty entry"), (",784,10", "no input"), ("784", "at least two"),
        ("", "no input"), ("784,abc,10", "\"abc\""), ("784,0,10", "positive"), ("784,-5,10", "\"-5\""),
        ("784;10", "the input"),
    ])
    func refusesMalformedListsSayingWhy(argument: String, words: String) {
        #expect(LayerList(argument: argument) == nil)
        do {
            _ = try LayerList.parse(argument)
            Issue.record("\(argument) was accepted")
        } catch {
            #expect("\(error)".contains(words), "\(error)")
        }
    }

    @Test func writesTheListBackAsGiven() throws {
        #expect(LayerList(try Architecture(layerSizes: [784, 800, 800, 10])).description == "784,800,800,10")
        #expect(LayerList(argument: "784, 32 ,10")?.description == "784,32,10")
    }
}
