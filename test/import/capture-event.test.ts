import {describe, expect, it} from 'vitest'
import {parseCaptureEvent} from '../../src/import/capture-event.ts'
import type {CaptureLine} from '../../src/import/capture-line.ts'

const line = (event: string, body: string): CaptureLine => ({comm: 'x', pid: 1, cpu: 0, flags: null, ts: 0, event, body, layout: 'ftrace'})

describe('parseCaptureEvent', () => {
  it("reads sched_switch in the kernel's form and in the plugin form; R is preempted, anything else a sleep", () => {
    expect(parseCaptureEvent(line('sched_switch', 'prev_comm=fio prev_pid=3185 prev_prio=120 prev_state=S ==> next_comm=kworker/10:0 next_pid=2763 next_prio=120'))).toEqual({
      kind: 'switch',
      prev: {comm: 'fio', pid: 3185, prio: 120},
      runnable: false,
      next: {comm: 'kworker/10:0', pid: 2763, prio: 120},
    })
    expect(parseCaptureEvent(line('sched_switch', 'migrate:953 [94] R ==> migrate:957 [90]'))).toMatchObject({runnable: true, prev: {pid: 953, prio: 94}, next: {pid: 957, prio: 90}})
    expect(parseCaptureEvent(line('sched_switch', 'kworker/10:0:2763 [120] R+ ==> fio:3185 [120]'))).toMatchObject({runnable: true, prev: {comm: 'kworker/10:0', pid: 2763}})
    expect(parseCaptureEvent(line('sched_switch', 'prev_comm=a prev_pid=1 prev_prio=120 prev_state=128 ==> next_comm=b next_pid=2 next_prio=120'))).toMatchObject({runnable: false})
  })

  it('reads wakeups with or without success=, in both forms', () => {
    expect(parseCaptureEvent(line('sched_wakeup', 'comm=sugov:4 pid=491 prio=-1 target_cpu=007'))).toEqual({kind: 'wakeup', task: {comm: 'sugov:4', pid: 491, prio: -1}})
    expect(parseCaptureEvent(line('sched_wakeup', 'migration/5:48 [0] success=1 CPU:005'))).toEqual({kind: 'wakeup', task: {comm: 'migration/5', pid: 48, prio: 0}})
    expect(parseCaptureEvent(line('sched_waking', 'comm=a pid=2 prio=120 success=1 target_cpu=001'))).toMatchObject({kind: 'wakeup'})
  })

  it('reads module events, whatever the call site looks like', () => {
    expect(parseCaptureEvent(line('module_get', 'scsi_debug call_site=sdebug_add_store [scsi_debug] refcnt=3'))).toEqual({kind: 'get', module: 'scsi_debug', refcnt: 3})
    expect(parseCaptureEvent(line('module_put', 'nvme call_site=0xffffffffc0123456 refcnt=1'))).toEqual({kind: 'put', module: 'nvme', refcnt: 1})
    expect(parseCaptureEvent(line('module_load', 'sd_mod E'))).toEqual({kind: 'load', module: 'sd_mod'})
    expect(parseCaptureEvent(line('module_free', 'scsi_debug'))).toEqual({kind: 'free', module: 'scsi_debug'})
  })

  it('reads irq handler entry and exit', () => {
    expect(parseCaptureEvent(line('irq_handler_entry', 'irq=4354 name=Out-of-band LAPIC timer interrupt'))).toEqual({kind: 'irq_entry', irq: 4354, name: 'Out-of-band LAPIC timer interrupt'})
    expect(parseCaptureEvent(line('irq_handler_exit', 'irq=42 ret=unhandled'))).toEqual({kind: 'irq_exit', irq: 42})
  })

  it('says what the text should have been when it does not parse', () => {
    expect(parseCaptureEvent(line('module_get', 'scsi_debug refcnt=x'))).toBe('expected module_get: NAME call_site=SYMBOL refcnt=N')
    expect(parseCaptureEvent(line('sched_switch', 'garbage'))).toMatch(/^expected sched_switch: prev_comm=/)
  })

  it("refuses a priority outside the kernel's -1..139 instead of clamping it into the trace", () => {
    const switched = (prio: number) => parseCaptureEvent(line('sched_switch', `prev_comm=a prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=b next_pid=2 next_prio=${prio}`))
    expect(switched(999)).toMatch(/; priority 999 of b-2 is outside the kernel's -1\.\.139$/)
    expect(switched(139)).toMatchObject({kind: 'switch', next: {prio: 139}})
    expect(parseCaptureEvent(line('sched_wakeup', 'comm=a pid=3 prio=-2 target_cpu=000'))).toMatch(/priority -2 of a-3 is outside/)
    expect(parseCaptureEvent(line('sched_wakeup', 'comm=a pid=3 prio=-1 target_cpu=000'))).toMatchObject({kind: 'wakeup'})
  })
})
