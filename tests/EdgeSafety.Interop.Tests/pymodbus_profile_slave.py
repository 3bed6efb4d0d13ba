#!/usr/bin/python3
"""A Modbus RTU slave built on pymodbus, a Modbus implementation EdgeSafety did not write, serving the engineering
values a test gives for devices described by EdgeSafety device profiles (docs/device-profiles.md).

    pymodbus_profile_slave.py PORT DEVICES_JSON

DEVICES_JSON holds [{"unit": 1, "profile": "/path/to/eastron-sdm120.json", "values": {"voltage_v": 230.0}}, ...].
Each value is encoded here with Python's struct (IEEE 754, two's complement), as its profile's type, scale, word
order and byte order say, so the test's decoding is checked against an encoder it does not share. Registers the
profile defines but no value is given for, and registers between them, read as zero. Prints a line starting with
"serving" once the port is open, then serves until killed.
"""
import asyncio
import json
import struct
import sys

import pymodbus
from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncSerialServer
from pymodbus.transaction import ModbusRtuFramer

FORMATS = {"int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I", "float32": ">f"}


def encode(value, spec):
    """The registers that hold value, per the profile's entry for it."""
    raw = value / spec.get("scale", 1)
    data = struct.pack(FORMATS[spec["type"]], raw if spec["type"] == "float32" else round(raw))
    words = [data[i:i + 2] for i in range(0, len(data), 2)]
    if spec.get("byteOrder", "big-endian") == "swapped":
        words = [word[::-1] for word in words]
    if spec.get("wordOrder", "high-first") == "low-first":
        words.reverse()
    return [int.from_bytes(word, "big") for word in words]


def slave(profile_path, values):
    with open(profile_path, encoding="utf-8") as file:
        profile = json.load(file)
    tables = {"holding": [0], "input": [0]}
    for spec in profile["values"]:
        registers = encode(values.get(spec["name"], 0), spec)
        table = tables[spec["table"]]
        end = spec["address"] + len(registers)
        table.extend([0] * (end - len(table)))
        table[spec["address"]:end] = registers
    # zero_mode: the address in a request is the index in the block (by default pymodbus 3.0 adds 1 to it).
    return ModbusSlaveContext(hr=ModbusSequentialDataBlock(0, tables["holding"]),
                              ir=ModbusSequentialDataBlock(0, tables["input"]), zero_mode=True)


async def serve(port, devices):
    context = ModbusServerContext(slaves={d["unit"]: slave(d["profile"], d["values"]) for d in devices}, single=False)
    # pymodbus 3.0's serial server frames ASCII unless told otherwise.
    server = await StartAsyncSerialServer(context=context, framer=ModbusRtuFramer, port=port, baudrate=9600,
                                          defer_start=True)
    await server.start()
    if server.transport is None:
        sys.exit(f"could not open {port}")
    print(f"serving {port} with pymodbus {pymodbus.__version__}", flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    with open(sys.argv[2], encoding="utf-8") as devices_file:
        asyncio.run(serve(sys.argv[1], json.load(devices_file)))
