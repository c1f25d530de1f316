// The capability checkboxes and the user-information radio group, used by "new" and "settings".
import type { PortalCapability } from '@notion-local/server';
import { COMMENT_CAPS, CONTENT_CAPS, toggle, USER_LEVELS, userLevel, withUserLevel } from '../capabilities';

export function CapabilityFields({
  value,
  onChange,
  disabled,
}: {
  value: PortalCapability[];
  onChange(next: PortalCapability[]): void;
  disabled?: boolean;
}) {
  const level = userLevel(value);
  return (
    <div className="caps">
      <CheckGroup
        legend="Content capabilities"
        items={CONTENT_CAPS}
        value={value}
        onChange={onChange}
        disabled={disabled}
      />
      <CheckGroup
        legend="Comment capabilities"
        items={COMMENT_CAPS}
        value={value}
        onChange={onChange}
        disabled={disabled}
      />
      <fieldset className="caps-group" disabled={disabled}>
        <legend>User capabilities</legend>
        {USER_LEVELS.map(({ level: l, label }) => (
          <label key={l} className="check">
            <input
              type="radio"
              name="user_information"
              value={l}
              checked={level === l}
              onChange={() => onChange(withUserLevel(value, l))}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <p className="muted small caps-help">
        Calls that need a capability the integration lacks answer <code>403 restricted_resource</code>; user objects are
        cut down to what the user level allows.
      </p>
    </div>
  );
}

function CheckGroup(props: {
  legend: string;
  items: { cap: PortalCapability; label: string }[];
  value: PortalCapability[];
  onChange(next: PortalCapability[]): void;
  disabled?: boolean | undefined;
}) {
  return (
    <fieldset className="caps-group" disabled={props.disabled}>
      <legend>{props.legend}</legend>
      {props.items.map(({ cap, label }) => (
        <label key={cap} className="check">
          <input
            type="checkbox"
            name={cap}
            checked={props.value.includes(cap)}
            onChange={(e) => props.onChange(toggle(props.value, cap, e.target.checked))}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
