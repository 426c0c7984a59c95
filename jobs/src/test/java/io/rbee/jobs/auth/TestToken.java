package io.rbee.jobs.auth;

/** The token every in-process test daemon of this module requires and its clients send. */
public final class TestToken {
  public static final AccessToken TOKEN = AccessToken.generate("the jobs tests");

  private TestToken() {}
}
