// Sign-in: name and password. The server answers wrong credentials and lockouts with a message we show as is
// (a locked account says until when).
import { post, messageOf } from "../api.js";
import { h, replace } from "../dom.js";
import { t } from "../i18n.js";

export function signInView(main, signedIn) {
  const error = h("p", { class: "error", role: "alert", id: "sign-in-error", hidden: true });
  const name = h("input", { id: "sign-in-name", name: "name", autocomplete: "username", required: true, autocapitalize: "none" });
  const password = h("input", { id: "sign-in-password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit", class: "primary" }, t("signin.submit"));
  const form = h("form", { class: "sign-in", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title" }, t("signin.title")),
    h("p", { class: "muted" }, t("signin.intro")),
    h("label", { for: "sign-in-name" }, t("signin.name")), name,
    h("label", { for: "sign-in-password" }, t("signin.password")), password,
    error, submit);
  form.addEventListener("submit", async event => {
    event.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      await post("/api/auth/sign-in", { name: name.value.trim(), password: password.value });
      await signedIn();
    } catch (failure) {
      replace(error, failure.status === 401 ? t("signin.wrong") : messageOf(failure));
      error.hidden = false;
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  replace(main, form);
  name.focus();
}
