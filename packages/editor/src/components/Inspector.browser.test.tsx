import '../styles.css';
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { createConfigRegistry } from '../config-bridge.ts';
import { createEditorStore } from '../model/store.ts';
import { ConsolePanel } from './ConsolePanel.tsx';
import { EditorProvider } from './context.tsx';
import { Inspector } from './Inspector.tsx';
import { NodeList } from './NodeList.tsx';

const registry = createConfigRegistry();

async function setup() {
  const store = createEditorStore({ registry, mirrorToConsole: false });
  const screen = await render(
    <EditorProvider store={store} registry={registry}>
      <div className="spark-editor" style={{ position: 'static' }}>
        <NodeList />
        <Inspector />
        <ConsolePanel />
      </div>
    </EditorProvider>,
  );
  return { store, screen };
}

describe('Inspector (generated from the config schemas)', () => {
  it('says what to do when nothing or several nodes are selected', async () => {
    const { store, screen } = await setup();
    await expect.element(screen.getByText(/Select a node to inspect/)).toBeVisible();
    store.getState().addModule('leaky_soma');
    store.getState().addModule('poisson_spiker');
    store.getState().selectAll();
    await expect.element(screen.getByText('Multi-selection not supported.')).toBeVisible();
  });

  it('shows every field with unit, default and validators, and edits values with inline validation', async () => {
    const { store, screen } = await setup();
    store.getState().addModule('leaky_soma', { x: 0, y: 0 }, 'soma');
    const tau = screen.getByLabelText('potential_tau (ms)');
    await expect.element(tau).toHaveValue('20');
    await expect.element(screen.getByText(/Default: 20\..*Validators: Positive \(> 0\)/)).toBeVisible();
    await userEvent.clear(tau);
    await userEvent.type(tau, '12.5{Enter}');
    expect(store.getState().doc.nodes[0]?.config.potential_tau).toBe(12.5);
    await userEvent.clear(tau);
    await userEvent.type(tau, '-3{Enter}');
    await expect.element(screen.getByRole('img', { name: 'Problem: must be > 0 (got -3)' })).toBeVisible();
    expect(store.getState().doc.nodes[0]?.config.potential_tau).toBe(-3);
    // undo restores the previous value in the inspector
    store.getState().undo();
    await expect.element(tau).toHaveValue('12.5');
    // Text that is not a number is refused: the box says so and the stored value stays a number.
    await userEvent.clear(tau);
    await userEvent.type(tau, 'abc{Enter}');
    await expect.element(screen.getByRole('img', { name: 'Problem: "abc" is not a number' })).toBeVisible();
    expect(store.getState().doc.nodes[0]?.config.potential_tau).toBe(12.5);
    await userEvent.keyboard('{Escape}');
    await expect.element(tau).toHaveValue('12.5');
  });

  it('switches a float field to an initializer and back', async () => {
    const { store, screen } = await setup();
    store.getState().addModule('leaky_soma', { x: 0, y: 0 }, 'soma');
    await userEvent.click(screen.getByRole('button', { name: 'Use an initializer for resistance' }));
    const choice = screen.getByRole('combobox', { name: 'Initializer of resistance' });
    await expect.element(choice).toHaveValue('constant_initializer');
    await userEvent.selectOptions(choice, 'uniform_initializer');
    const v = store.getState().doc.nodes[0]?.config.resistance as {
      __type__: string;
      __cfg__: { scale: number };
    };
    expect(v.__type__).toBe('uniform_initializer_config');
    expect(v.__cfg__.scale).toBe(0.1);
    await userEvent.click(screen.getByRole('button', { name: 'Use a single value for resistance' }));
    expect(store.getState().doc.nodes[0]?.config.resistance).toBe(0.1);
  });

  it('links dt and units of a neuron to its children from the start, as Spark does (never the seed)', async () => {
    const { store, screen } = await setup();
    store.getState().addModule('lif_neuron', { x: 0, y: 0 }, 'pool');
    const link = screen.getByRole('button', { name: 'Link similar child variables: dt' }).first();
    await expect.element(link).toHaveAttribute('aria-pressed', 'true');
    await expect
      .element(screen.getByRole('button', { name: 'Link similar child variables: units' }).first())
      .toHaveAttribute('aria-pressed', 'true');
    // No false problem on a fresh neuron (its optional inhibition_mask is unset).
    expect(screen.getByRole('img', { name: /^Problem:/ }).elements()).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Add a dimension to units' }).first());
    const children = (store.getState().doc.nodes[0]?.config.modules_specs ?? []) as Array<{
      __data__: { config: { units?: number[] } };
    }>;
    const units = children.map((s) => s.__data__.config.units);
    expect(units.filter((u) => u !== undefined).every((u) => u?.join() === '1,1')).toBe(true);
    const dt = screen.getByLabelText('dt (ms)').first();
    await userEvent.clear(dt);
    await userEvent.type(dt, '0.5{Enter}');
    const specs = store.getState().doc.nodes[0]?.config.modules_specs as Array<{
      __data__: { config: { dt: number } };
    }>;
    expect(specs.every((s) => s.__data__.config.dt === 0.5)).toBe(true);
    await expect
      .element(screen.getByRole('img', { name: 'locked by a linked parent field' }).first())
      .toBeVisible();
    expect(
      screen.getByRole('button', { name: 'Link similar child variables: seed' }).elements(),
    ).toHaveLength(0);
    // Unlinking unlocks the children (their values stay).
    await userEvent.click(link);
    await expect.element(link).toHaveAttribute('aria-pressed', 'false');
  });

  it('connects ports from the keyboard and lists the node; console links select nodes', async () => {
    const { store, screen } = await setup();
    store.getState().addModule('poisson_spiker', { x: 0, y: 0 }, 'enc');
    store.getState().addModule('lif_neuron', { x: 300, y: 0 }, 'pool');
    await userEvent.click(screen.getByTestId('nodelist-pool'));
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Connect an output to pool.in_spikes' }),
      'enc|out:spikes',
    );
    expect(store.getState().doc.edges.map((e) => e.id)).toEqual(['enc.spikes->pool.in_spikes']);
    await expect.element(screen.getByText('enc.spikes')).toBeVisible();
    store.getState().report('error', 'something about enc', { nodeId: 'enc' });
    await userEvent.click(screen.getByRole('button', { name: 'enc' }).last());
    expect(store.getState().selection).toEqual(['enc']);
  });
});
