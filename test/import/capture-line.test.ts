import {describe, expect, it} from 'vitest'
import {cpuColumn, inHardIrq, inSoftIrq, parseCaptureLine} from '../../src/import/capture-line.ts'

describe('parseCaptureLine', () => {
  it('reads the 5-character flags column with the tgid column, comms with spaces and dashes', () => {
    const line = parseCaptureLine(' Render Thread (IO)-42 (-------) [007] dN..2 1.000000001: sched_wakeup: comm=target pid=8 prio=120 target_cpu=003')
    expect(line).toEqual({comm: 'Render Thread (IO)', pid: 42, cpu: 7, flags: 'dN..2', ts: 1_000_000_001, event: 'sched_wakeup', body: 'comm=target pid=8 prio=120 target_cpu=003', layout: 'ftrace'})
    expect(parseCaptureLine('     worker-name-9       (    123) [002] d.... 1.5: sched_wakeup: comm=second pid=9 prio=100 target_cpu=001')).toMatchObject({comm: 'worker-name', pid: 9, cpu: 2, flags: 'd....', ts: 1_500_000_000})
  })

  it('reads the 4-character flags column without tgid, and a call_site with a module in brackets', () => {
    expect(parseCaptureLine('           <idle>-0       [004] d.h.    46.228906: module_get: scsi_debug call_site=sdebug_q_cmd_complete [scsi_debug] refcnt=4')).toEqual({
      comm: '<idle>',
      pid: 0,
      cpu: 4,
      flags: 'd.h.',
      ts: 46_228_906_000,
      event: 'module_get',
      body: 'scsi_debug call_site=sdebug_q_cmd_complete [scsi_debug] refcnt=4',
      layout: 'ftrace',
    })
  })

  it('reads trace-cmd report, with no flags column or with the CPU run into the flags', () => {
    expect(parseCaptureLine('              ls-16326 [005] 435246.915564: sched_switch:         trace-cmd:16326 [120] R ==> migration/5:48 [0]')).toMatchObject({comm: 'ls', pid: 16326, cpu: 5, flags: null, event: 'sched_switch', body: 'trace-cmd:16326 [120] R ==> migration/5:48 [0]'})
    expect(parseCaptureLine('  bash-52501   110d... 81778.908247: sched_switch:         bash:52501 [120] S ==> swapper/110:0 [120]')).toMatchObject({comm: 'bash', pid: 52501, cpu: 110, flags: 'd...', ts: 81_778_908_247_000})
  })

  it('reads perf script, with the system before the event name', () => {
    expect(parseCaptureLine('     migration/0    12 [000] 168190.164928: sched:sched_switch: prev_comm=migration/0 prev_pid=12')).toMatchObject({comm: 'migration/0', pid: 12, cpu: 0, flags: null, event: 'sched_switch', layout: 'perf'})
    expect(parseCaptureLine('            perf 354406/354407 [001] 168190.164981: sched:sched_switch: perf:354406 [120] S ==> x:1 [120]')).toMatchObject({comm: 'perf', pid: 354407, cpu: 1})
  })

  it('is null for headers, blank lines and stack frames', () => {
    for (const text of ['# tracer: nop', '', 'cpus=8', '\tffffffffb7ad6b30 __schedule+0x8e0 ([kernel.kallsyms])', 'CPU 3 is empty']) expect(parseCaptureLine(text)).toBeNull()
  })

  it('tells hard-irq and softirq context from the flags column', () => {
    expect([inHardIrq('d.h1.'), inHardIrq('d.H.'), inHardIrq('dNs2.'), inHardIrq(null)]).toEqual([true, true, false, false])
    expect([inSoftIrq('..s1.'), inSoftIrq('d.h1.')]).toEqual([true, false])
  })

  it('finds the column where a line names its CPU, in each layout', () => {
    const ftrace = '          bash-2265    [002] d..3.   195.445829: sched_switch: x'
    expect(cpuColumn(ftrace)).toBe(ftrace.indexOf('002') + 1)
    const latency = '      bash-52501   110d... 81778.908247: sched_switch: x'
    expect(cpuColumn(latency)).toBe(latency.indexOf('110') + 1)
    const perf = '           bash  2265 [012]   195.445829: sched:sched_switch: x'
    expect(cpuColumn(perf)).toBe(perf.indexOf('012') + 1)
    expect(cpuColumn('# a header')).toBe(1)
  })
})
