import { getPriority } from "node:os";
import { describe, expect, it, jest } from "@jest/globals";
import {
  currentThreadId,
  lowerThreadPriority,
  type PrioritySystem,
} from "../../../../src/collect/readers/thread-priority.js";

const onLinux = process.platform === "linux" ? it : it.skip;

/** A Linux whose calling thread is task 4242 of process 4200, at nice `nice`. */
function fakeLinux(nice = 0): PrioritySystem & { set: jest.Mock<(id: number, priority: number) => void> } {
  const set = jest.fn<(id: number, priority: number) => void>();
  return {
    platform: "linux",
    pid: 4200,
    readlink: (path) => (path === "/proc/thread-self" ? "4200/task/4242" : "?"),
    getPriority: (id) => (id === 4242 ? nice : NaN),
    setPriority: set,
    set,
  };
}

describe("currentThreadId", () => {
  it("reads the calling thread's task id from /proc/thread-self", () => {
    expect(currentThreadId(fakeLinux())).toBe(4242);
  });

  it("is unknown elsewhere than Linux, or when /proc cannot be read or says something else", () => {
    expect(currentThreadId({ ...fakeLinux(), platform: "darwin" })).toBeUndefined();
    const unreadable = () => {
      throw new Error("ENOENT");
    };
    expect(currentThreadId({ ...fakeLinux(), readlink: unreadable })).toBeUndefined();
    expect(currentThreadId({ ...fakeLinux(), readlink: () => "4200/task/x" })).toBeUndefined();
  });

  it("is unknown when /proc is another PID namespace's (its task id would name some other process's thread here)", () => {
    // `unshare --pid --fork` without `--mount-proc`: the process is 1 to itself, /proc names it as its parent namespace does.
    expect(currentThreadId({ ...fakeLinux(), pid: 1 })).toBeUndefined();
    const other = { ...fakeLinux(), pid: 1 };
    expect(lowerThreadPriority(10, other)).toBeUndefined();
    expect(other.set).not.toHaveBeenCalled();
    expect(currentThreadId({ ...fakeLinux(), readlink: () => "task/4242" })).toBeUndefined();
  });

  onLinux("is the calling thread's own task on Linux", () => {
    const tid = currentThreadId();
    expect(tid).toBeGreaterThan(0);
    // getPriority() with no id is the calling thread's nice value.
    expect(getPriority(tid)).toBe(getPriority());
  });
});

describe("lowerThreadPriority", () => {
  it("lowers the calling thread only (by its task id), relative to its current nice value", () => {
    const sys = fakeLinux(3);
    expect(lowerThreadPriority(10, sys)).toBe(13);
    expect(sys.set).toHaveBeenCalledTimes(1);
    expect(sys.set).toHaveBeenCalledWith(4242, 13);
  });

  it("stops at 19 and never raises a thread an operator niced further", () => {
    const near = fakeLinux(15);
    expect(lowerThreadPriority(10, near)).toBe(19);
    expect(near.set).toHaveBeenCalledWith(4242, 19);
    const lowest = fakeLinux(19);
    expect(lowerThreadPriority(10, lowest)).toBeUndefined();
    expect(lowest.set).not.toHaveBeenCalled();
  });

  it("leaves the thread as it is, without failing, elsewhere than Linux or when the system refuses", () => {
    const other = { ...fakeLinux(), platform: "win32" as const };
    expect(lowerThreadPriority(10, other)).toBeUndefined();
    expect(other.set).not.toHaveBeenCalled();
    const refused = fakeLinux();
    refused.setPriority = () => {
      throw Object.assign(new Error("EACCES"), { code: "EACCES" });
    };
    expect(lowerThreadPriority(10, refused)).toBeUndefined();
  });
});
